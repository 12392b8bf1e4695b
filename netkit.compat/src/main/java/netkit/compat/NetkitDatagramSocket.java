package netkit.compat;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import netkit.api.SocketManager;

/**
 * A {@link DatagramSocket} on a netkit stack (UDP): the JDK's class over a netkit datagram socket
 * of {@code api}'s owner, through its {@code DatagramSocket(DatagramSocketImpl)} constructor, on
 * JDK 17 and 25 alike. Send and receive (with {@code setSoTimeout}), connect and disconnect,
 * broadcast ({@code SO_BROADCAST} on by default, as the JDK's on Linux), buffer sizes, traffic
 * class; no multicast. A port unreachable answer to a connected socket's datagram is a
 * {@link java.net.PortUnreachableException} on its next call.
 */
public class NetkitDatagramSocket extends DatagramSocket {
    /** A socket bound to an ephemeral port on every local address, as {@code new DatagramSocket()}. */
    public NetkitDatagramSocket(SocketManager api) throws SocketException {
        this(api, new InetSocketAddress(0));
    }

    /** A socket bound to {@code bindaddr}, or unbound when it is null, as {@code new DatagramSocket(bindaddr)}. */
    public NetkitDatagramSocket(SocketManager api, SocketAddress bindaddr) throws SocketException {
        super(new NetkitDatagramSocketImpl(api));
        if (bindaddr != null) {
            try {
                bind(bindaddr);
            } catch (SocketException | RuntimeException e) {
                close();
                throw e;
            }
        }
    }
}
