package netkit.compat.host;

import java.net.DatagramSocket;
import java.net.SocketAddress;
import java.net.SocketException;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import netkit.api.SocketManager;
import netkit.api.admin.NetworkAdmin;
import netkit.compat.NetkitDatagramSocket;
import netkit.compat.NetkitServerSocketFactory;
import netkit.compat.NetkitSocketFactory;
import netkit.stack.Stack;

/**
 * A running netkit host built by {@link Netkit#stack()}: its socket API and the {@code java.net}
 * factories over it (all sockets belong to one owner named after the stack). {@link #close()}
 * stops the stack: its sockets fail, its links close.
 */
public final class NetkitHost implements AutoCloseable {
    private final Stack stack;
    private final SocketManager sockets;
    private final SocketFactory socketFactory;
    private final ServerSocketFactory serverSocketFactory;

    NetkitHost(Stack stack, String name) {
        this.stack = stack;
        this.sockets = stack.sockets(name);
        this.socketFactory = new NetkitSocketFactory(sockets);
        this.serverSocketFactory = new NetkitServerSocketFactory(sockets);
    }

    /** The Network Kit socket API of this host. */
    public SocketManager sockets() {
        return sockets;
    }

    /** {@code java.net.Socket}s on this host. */
    public SocketFactory socketFactory() {
        return socketFactory;
    }

    /** {@code java.net.ServerSocket}s on this host. */
    public ServerSocketFactory serverSocketFactory() {
        return serverSocketFactory;
    }

    /** A {@link DatagramSocket} on this host bound to an ephemeral port, as {@code new DatagramSocket()}. */
    public DatagramSocket datagramSocket() throws SocketException {
        return new NetkitDatagramSocket(sockets);
    }

    /** A {@link DatagramSocket} on this host bound to {@code bindaddr} (null: unbound). */
    public DatagramSocket datagramSocket(SocketAddress bindaddr) throws SocketException {
        return new NetkitDatagramSocket(sockets, bindaddr);
    }

    /** Interfaces, routes, ARP, sockets and counters of this host. */
    public NetworkAdmin admin() {
        return stack.admin();
    }

    /** The stack itself, for what the rest does not offer (interfaces at runtime, quotas, settings). */
    public Stack stack() {
        return stack;
    }

    @Override
    public void close() {
        stack.close();
    }

    @Override
    public String toString() {
        return "NetkitHost[" + stack + "]";
    }
}
