package netkit.api.spi.autoconf;

import netkit.api.ErrnoException;
import org.osgi.annotation.versioning.ProviderType;

/** A UDP port bound to one interface by {@link AutoconfSupport#bind}. Caller holds the stack lock. */
@ProviderType
public interface InterfacePort extends AutoCloseable {
    /** The interface's name. */
    String iface();

    /** The interface's hardware (MAC) address now; 0 while it has no Ethernet link. */
    long mac();

    /**
     * Sends a UDP datagram from {@code source} (0.0.0.0 allowed) and this port. To the limited
     * broadcast 255.255.255.255 it leaves this interface in a link broadcast frame, without a route;
     * to a unicast address it follows the routing table (which must lead out of this interface).
     *
     * @throws ErrnoException ENETDOWN when the interface has no link or is down; ENETUNREACH when no
     *                        route leads out of this interface to {@code destination}; EMSGSIZE when
     *                        the datagram exceeds the interface MTU
     */
    void send(int source, int destination, int destinationPort, byte[] data, int offset, int length)
            throws ErrnoException;

    /** Unbinds the port; later datagrams go to the UDP layer again. Idempotent. */
    @Override
    void close();
}
