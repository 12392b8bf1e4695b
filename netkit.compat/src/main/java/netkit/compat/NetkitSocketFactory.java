package netkit.compat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Objects;
import javax.net.SocketFactory;
import netkit.api.SocketManager;

/**
 * {@link java.net.Socket}s on a netkit stack: each is a plain {@code java.net.Socket} (the JDK's
 * own class, through its {@code Socket(SocketImpl)} constructor) whose implementation is a netkit
 * stream socket of {@code api}'s owner. Host names are resolved by the JVM's resolver
 * ({@link InetAddress#getByName}); IPv4 only. Connect timeouts, {@code setSoTimeout}, shutdown,
 * the standard options, {@code isConnected}/{@code isClosed}/{@code isInputShutdown} and the
 * exceptions are the JDK's.
 */
public final class NetkitSocketFactory extends SocketFactory {
    private final SocketManager api;

    /** A factory of sockets owned by {@code api}'s owner. */
    public NetkitSocketFactory(SocketManager api) {
        this.api = Objects.requireNonNull(api, "api");
    }

    /** An unconnected socket. */
    @Override
    public Socket createSocket() throws IOException {
        return new NetkitSocket(new NetkitSocketImpl(api, false));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
        Socket s = createSocket();
        try {
            if (local != null) {
                s.bind(local);
            }
            s.connect(remote);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }
}
