package netkit.itest.consumer;

import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.SocketManager;

/**
 * README's readiness example as a Declarative Services component (its XML is built by
 * {@code ReadinessIT}): it needs UDP, so its reference targets {@code (netkit.protocols=udp)} and
 * it opens its socket in {@code activate} without checking for EPROTONOSUPPORT. Each activation
 * appends its outcome to the system property {@link #OUTCOMES}, which the test reads.
 */
public final class UdpConsumer {
    /** System property the outcomes are appended to: {@code ok} or the errno, space-separated. */
    public static final String OUTCOMES = "netkit.itest.consumer";

    private SocketManager sockets;

    /** DS bind method. */
    public void bind(SocketManager s) {
        sockets = s;
    }

    /** DS activate: one UDP socket, opened and closed. */
    public void activate() {
        String outcome;
        try {
            int s = sockets.socket(Net.AF_INET, Net.SOCK_DGRAM, 0);
            sockets.closesocket(s);
            outcome = "ok";
        } catch (ErrnoException e) {
            outcome = e.errno().name();
        }
        synchronized (UdpConsumer.class) {
            System.setProperty(OUTCOMES, (System.getProperty(OUTCOMES, "") + " " + outcome).trim());
        }
    }
}
