package netkit.compat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Objects;
import javax.net.ServerSocketFactory;
import netkit.api.SocketManager;

/**
 * {@link ServerSocket}s on a netkit stack: the JDK's class over a netkit listener of {@code api}'s
 * owner ({@code SO_REUSEADDR} on, as the JDK's server sockets on Unix); accepted sockets are plain
 * {@code java.net.Socket}s as from {@link NetkitSocketFactory}. The backlog is netkit's acceptance
 * count (clamped to the stack's {@code somaxconn}; less than 1 means 50, as in the JDK).
 */
public final class NetkitServerSocketFactory extends ServerSocketFactory {
    private final SocketManager api;

    /** A factory of server sockets owned by {@code api}'s owner. */
    public NetkitServerSocketFactory(SocketManager api) {
        this.api = Objects.requireNonNull(api, "api");
    }

    /** An unbound server socket. */
    @Override
    public ServerSocket createServerSocket() throws IOException {
        return new NetkitServerSocket(api);
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        return createServerSocket(port, 50, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return createServerSocket(port, backlog, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress ifAddress) throws IOException {
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("Port value out of range: " + port);
        }
        ServerSocket s = createServerSocket();
        try {
            s.bind(new InetSocketAddress(ifAddress, port), backlog);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }
}
