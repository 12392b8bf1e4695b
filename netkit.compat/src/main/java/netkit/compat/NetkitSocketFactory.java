package netkit.compat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.SocketFactory;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.api.netdb.NetDb;
import netkit.api.netdb.NetDbException;

/**
 * {@link java.net.Socket}s on a netkit stack: each is a plain {@code java.net.Socket} (the JDK's
 * own class, through its {@code Socket(SocketImpl)} constructor) whose implementation is a netkit
 * stream socket of {@code api}'s owner. Host names given to {@code createSocket} are resolved by
 * netkit's {@link NetDb} when the factory was given one (the netkit network's own hosts table and
 * name servers), else by the JVM's resolver ({@link InetAddress#getByName}); IPv4 only. Connect timeouts, {@code setSoTimeout}, shutdown,
 * the standard options, {@code isConnected}/{@code isClosed}/{@code isInputShutdown} and the
 * exceptions are the JDK's.
 */
public final class NetkitSocketFactory extends SocketFactory {
    private final SocketManager api;
    private final Supplier<NetDb> names;

    /** A factory of sockets owned by {@code api}'s owner; host names through the JVM's resolver. */
    public NetkitSocketFactory(SocketManager api) {
        this(api, () -> null);
    }

    /**
     * A factory of sockets owned by {@code api}'s owner; host names through the NetDb that
     * {@code names} gives at each call (the JVM's resolver while it gives null).
     */
    public NetkitSocketFactory(SocketManager api, Supplier<NetDb> names) {
        this.api = Objects.requireNonNull(api, "api");
        this.names = Objects.requireNonNull(names, "names");
    }

    /** An unconnected socket. */
    @Override
    public Socket createSocket() throws IOException {
        return new NetkitSocket(new NetkitSocketImpl(api, false));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(resolve(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(resolve(host, port), new InetSocketAddress(localHost, localPort));
    }

    private static boolean isAddress(String host) {
        try {
            SockAddr.parseAddress(host);
            return true;
        } catch (IllegalArgumentException notOne) {
            return false;
        }
    }

    /** {@code host:port}, the name resolved by the NetDb when there is one (its first address). */
    private InetSocketAddress resolve(String host, int port) throws UnknownHostException {
        NetDb db = names.get();
        if (db == null || host == null || isAddress(host)) {
            return new InetSocketAddress(host, port);
        }
        try {
            int a = db.gethostbyname(host).addresses().get(0);
            return new InetSocketAddress(InetAddress.getByAddress(host, new byte[] {(byte) (a >>> 24),
                (byte) (a >>> 16), (byte) (a >>> 8), (byte) a}), port);
        } catch (NetDbException e) {
            UnknownHostException u = new UnknownHostException(host + ": " + e.getMessage());
            u.initCause(e);
            throw u;
        }
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
