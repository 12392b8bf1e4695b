package netkit.compat;

import static netkit.compat.SocketErrors.Call;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import netkit.api.Accepted;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.api.TokenSet;

/**
 * A {@link SocketImpl} over one netkit stream socket token, for {@link java.net.Socket} and
 * {@link java.net.ServerSocket} through their protected {@code (SocketImpl)} constructors: the
 * JDK's own classes keep the state rules (connected, bound, closed, shut down) exactly as they
 * document them, and this class only performs the calls. Errors are mapped by {@link SocketErrors}.
 *
 * <p>Blocking calls block in netkit (its stack clock times them): {@code SO_TIMEOUT} is netkit's
 * {@link Net#SO_RCVTIMEO} (reads and accepts), a connect with a timeout is a non-blocking connect
 * finished through {@code select}.
 */
final class NetkitSocketImpl extends SocketImpl {
    /**
     * jdk.net.ExtendedSocketOptions' keepalive tuning, matched by name (netkit's TCP_KEEPIDLE,
     * TCP_KEEPINTVL, TCP_KEEPCNT) so this bundle needs no jdk.net import; HttpClient 5 sets them.
     */
    private static final Map<String, Integer> KEEPALIVE_TUNING = Map.of("TCP_KEEPIDLE", Net.TCP_KEEPIDLE,
            "TCP_KEEPINTERVAL", Net.TCP_KEEPINTVL, "TCP_KEEPCOUNT", Net.TCP_KEEPCNT);
    private static final Set<SocketOption<?>> OPTIONS = withKeepaliveTuning(StandardSocketOptions.SO_SNDBUF,
            StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_REUSEADDR,
            StandardSocketOptions.SO_LINGER, StandardSocketOptions.TCP_NODELAY, StandardSocketOptions.IP_TOS,
            StandardSocketOptions.SO_REUSEPORT);
    private static final Set<SocketOption<?>> SERVER_OPTIONS = Set.of(StandardSocketOptions.SO_RCVBUF,
            StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.IP_TOS, StandardSocketOptions.SO_REUSEPORT);

    private static Set<SocketOption<?>> withKeepaliveTuning(SocketOption<?>... standard) {
        Set<SocketOption<?>> all = new HashSet<>(List.of(standard));
        try {
            Class<?> extended = Class.forName("jdk.net.ExtendedSocketOptions");
            for (String name : KEEPALIVE_TUNING.keySet()) {
                all.add((SocketOption<?>) extended.getField(name).get(null));
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // a JDK without the jdk.net module: the standard options only
        }
        return Set.copyOf(all);
    }

    private final SocketManager api;
    private final boolean server;
    private volatile int token = -1;
    private volatile boolean closed;
    private volatile int timeout;
    /** The peer reset the connection: every later read fails the same way, as the JDK's do. */
    private volatile boolean reset;
    private volatile boolean eof;
    private volatile boolean inputShut;
    private InputStream in;
    private OutputStream out;

    /** An impl for a client (or accepted) socket, or for a server socket (SO_REUSEADDR on, as the JDK's). */
    NetkitSocketImpl(SocketManager api, boolean server) {
        this.api = Objects.requireNonNull(api, "api");
        this.server = server;
    }

    private int token() throws SocketException {
        return SocketErrors.usable(token, closed);
    }

    /** An errno of a call on this socket (a reset is remembered for later reads). */
    private IOException failed(ErrnoException e, Call call) {
        if (!closed && e.errno() == Errno.ECONNRESET) {
            reset = true;
        }
        return SocketErrors.failed(e, call, closed);
    }

    @Override
    protected void create(boolean stream) throws IOException {
        if (!stream) {
            throw new SocketException("netkit stream sockets only; use NetkitDatagramSocket");
        }
        try {
            token = api.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
            // the JDK's sockets on Linux: SO_OOBINLINE off, so a peer's urgent byte leaves the stream
            // (java.net has no way to read it out of band) until setOOBInline(true); accepted
            // sockets inherit it from the server socket
            api.setsockopt(token, Net.SOL_SOCKET, Net.SO_OOBINLINE, 0);
            if (server) {
                api.setsockopt(token, Net.SOL_SOCKET, Net.SO_REUSEADDR, 1);
            }
        } catch (ErrnoException e) {
            throw SocketErrors.map(e, Call.CREATE);
        }
    }

    @Override
    protected void connect(String host, int port) throws IOException {
        connect(new InetSocketAddress(host, port), 0);
    }

    @Override
    protected void connect(InetAddress address, int port) throws IOException {
        connect(new InetSocketAddress(address, port), 0);
    }

    @Override
    protected void connect(SocketAddress endpoint, int timeoutMillis) throws IOException {
        SockAddr remote = Inet4.sockAddr(endpoint);
        if (remote.address() == Net.INADDR_ANY) {
            remote = remote.withAddress(Net.INADDR_LOOPBACK); // the wildcard means this host, as in the JDK
        }
        int t = token();
        try {
            if (timeoutMillis > 0) {
                timedConnect(t, remote, timeoutMillis);
            } else {
                api.connect(t, remote);
            }
            localport = api.getsockname(t).port();
        } catch (ErrnoException | SocketTimeoutException e) {
            // a failed connect closes the socket, as the JDK's impl does (JDK 25's Socket also marks itself closed)
            IOException x = e instanceof ErrnoException ? failed((ErrnoException) e, Call.CONNECT) : (IOException) e;
            closeQuietly();
            throw x;
        }
        InetAddress given = ((InetSocketAddress) endpoint).getAddress();
        // the address as given keeps its host name (Socket.getInetAddress().getHostName(), as the JDK's impl)
        address = Inet4.address(given) == remote.address() ? given : Inet4.inet(remote.address());
        port = remote.port();
    }

    /** A non-blocking connect completed through select write readiness and SO_ERROR, within {@code millis}. */
    private void timedConnect(int t, SockAddr remote, int millis) throws ErrnoException, IOException {
        // on failure Socket.connect closes the socket, so only success restores blocking mode
        api.setsockopt(t, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        try {
            api.connect(t, remote);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EINPROGRESS) {
                throw e;
            }
            // select times out on the stack's clock, as every netkit timeout does
            if (api.select(null, TokenSet.of(t), null, Duration.ofMillis(millis)) == 0) {
                throw new SocketTimeoutException("Connect timed out");
            }
            int error = api.getsockopt(t, Net.SOL_SOCKET, Net.SO_ERROR);
            if (error != 0) {
                Errno errno = Errno.of(error);
                throw new ErrnoException(errno == null ? Errno.EIO : errno);
            }
        }
        api.setsockopt(t, Net.SOL_SOCKET, Net.SO_NONBLOCK, 0);
    }

    @Override
    protected void bind(InetAddress host, int lport) throws IOException {
        try {
            SockAddr bound = api.bind(token(), SockAddr.of(Inet4.address(host), lport));
            localport = bound.port();
            address = Inet4.inet(bound.address()); // ServerSocket.getInetAddress; Socket's is the peer once connected
        } catch (ErrnoException e) {
            throw failed(e, Call.BIND);
        }
    }

    @Override
    protected void listen(int backlog) throws IOException {
        try {
            api.listen(token(), backlog);
        } catch (ErrnoException e) {
            throw failed(e, Call.LISTEN);
        }
    }

    @Override
    protected void accept(SocketImpl s) throws IOException {
        NetkitSocketImpl child = (NetkitSocketImpl) s;
        Accepted a;
        try {
            a = api.accept(token());
        } catch (ErrnoException e) {
            throw failed(e, Call.ACCEPT);
        }
        try {
            if (timeout != 0) {
                api.setsockopt(a.token(), Net.SOL_SOCKET, Net.SO_RCVTIMEO, 0); // the listener's timeout is not inherited
            }
            child.token = a.token();
            child.address = Inet4.inet(a.client().address());
            child.port = a.client().port();
            child.localport = api.getsockname(a.token()).port();
        } catch (ErrnoException e) {
            child.close();
            throw failed(e, Call.ACCEPT);
        }
    }

    @Override
    protected synchronized InputStream getInputStream() throws IOException {
        if (in == null) {
            in = new Input();
        }
        return in;
    }

    @Override
    protected synchronized OutputStream getOutputStream() throws IOException {
        if (out == null) {
            out = new Output();
        }
        return out;
    }

    @Override
    protected int available() throws IOException {
        if (closed) {
            throw new SocketException("Socket closed");
        }
        if (inputShut || eof) {
            return 0;
        }
        byte[] peek = new byte[65536];
        try {
            return api.recv(token(), peek, 0, peek.length, Net.MSG_PEEK | Net.MSG_DONTWAIT);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EWOULDBLOCK) {
                return 0;
            }
            throw failed(e, Call.READ);
        }
    }

    @Override
    protected void close() throws IOException {
        int t = token;
        if (closed || t < 0) {
            closed = true;
            return;
        }
        closed = true;
        try {
            api.closesocket(t);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EBADF) {
                throw SocketErrors.map(e, Call.SHUTDOWN);
            }
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException ignored) {
            // the socket is unusable either way
        }
    }

    @Override
    protected void shutdownInput() throws IOException {
        try {
            api.shutdown(token(), Net.SHUT_RD);
            inputShut = true;
        } catch (ErrnoException e) {
            throw failed(e, Call.SHUTDOWN);
        }
    }

    @Override
    protected void shutdownOutput() throws IOException {
        try {
            api.shutdown(token(), Net.SHUT_WR);
        } catch (ErrnoException e) {
            throw failed(e, Call.SHUTDOWN);
        }
    }

    @Override
    protected boolean supportsUrgentData() {
        return true;
    }

    @Override
    protected void sendUrgentData(int data) throws IOException {
        try {
            api.send(token(), new byte[] {(byte) data}, 0, 1, Net.MSG_OOB); // one urgent byte (RFC 6093)
        } catch (ErrnoException e) {
            throw failed(e, Call.WRITE);
        }
    }

    // ---- options: the int form (java.net.SocketOptions) used by Socket and ServerSocket ----

    @Override
    public void setOption(int optID, Object value) throws SocketException {
        int t = token();
        try {
            switch (optID) {
                case SO_TIMEOUT:
                    int ms = (Integer) value;
                    if (ms < 0) {
                        throw new IllegalArgumentException("timeout < 0");
                    }
                    api.setsockopt(t, Net.SOL_SOCKET, Net.SO_RCVTIMEO, ms);
                    timeout = ms;
                    break;
                case TCP_NODELAY:
                    api.setsockopt(t, Net.IPPROTO_TCP, Net.TCP_NODELAY, JavaOptions.bool(value));
                    break;
                case SO_KEEPALIVE:
                    api.setsockopt(t, Net.SOL_SOCKET, Net.SO_KEEPALIVE, JavaOptions.bool(value));
                    break;
                case SO_REUSEADDR:
                    api.setsockopt(t, Net.SOL_SOCKET, Net.SO_REUSEADDR, JavaOptions.bool(value));
                    break;
                case SO_SNDBUF:
                    api.setsockopt(t, Net.SOL_SOCKET, Net.SO_SNDBUF, positive(value));
                    break;
                case SO_RCVBUF:
                    api.setsockopt(t, Net.SOL_SOCKET, Net.SO_RCVBUF, positive(value));
                    break;
                case SO_LINGER:
                    // Socket passes Boolean false for off, an Integer for on with that many seconds
                    int linger = value instanceof Integer ? Math.min((Integer) value, 65535) : -1;
                    api.setsockopt(t, Net.SOL_SOCKET, Net.SO_LINGER, linger);
                    break;
                case IP_TOS:
                    api.setsockopt(t, Net.IPPROTO_IP, Net.IP_TOS, (Integer) value & 0xff);
                    break;
                case SO_OOBINLINE:
                    api.setsockopt(t, Net.SOL_SOCKET, Net.SO_OOBINLINE, JavaOptions.bool(value));
                    break;
                default:
                    throw new SocketException("Option not supported: " + optID);
            }
        } catch (ErrnoException e) {
            throw (SocketException) failed(e, Call.OPTION);
        }
    }

    @Override
    public Object getOption(int optID) throws SocketException {
        int t = token();
        try {
            switch (optID) {
                case SO_TIMEOUT:
                    return timeout;
                case TCP_NODELAY:
                    return api.getsockopt(t, Net.IPPROTO_TCP, Net.TCP_NODELAY) != 0;
                case SO_KEEPALIVE:
                    return api.getsockopt(t, Net.SOL_SOCKET, Net.SO_KEEPALIVE) != 0;
                case SO_REUSEADDR:
                    return api.getsockopt(t, Net.SOL_SOCKET, Net.SO_REUSEADDR) != 0;
                case SO_SNDBUF:
                    return api.getsockopt(t, Net.SOL_SOCKET, Net.SO_SNDBUF);
                case SO_RCVBUF:
                    return api.getsockopt(t, Net.SOL_SOCKET, Net.SO_RCVBUF);
                case SO_LINGER:
                    int linger = api.getsockopt(t, Net.SOL_SOCKET, Net.SO_LINGER);
                    return linger < 0 ? Boolean.FALSE : Integer.valueOf(linger);
                case IP_TOS:
                    return api.getsockopt(t, Net.IPPROTO_IP, Net.IP_TOS);
                case SO_OOBINLINE:
                    return api.getsockopt(t, Net.SOL_SOCKET, Net.SO_OOBINLINE) != 0;
                case SO_BINDADDR:
                    return Inet4.inet(api.getsockname(t).address());
                default:
                    throw new SocketException("Option not supported: " + optID);
            }
        } catch (ErrnoException e) {
            throw (SocketException) failed(e, Call.OPTION);
        }
    }

    private static int positive(Object value) {
        int v = (Integer) value;
        if (v <= 0) {
            throw new IllegalArgumentException("negative or zero size");
        }
        return v;
    }

    // ---- options: the typed form (Socket.setOption(SocketOption, T), since Java 9) ----

    @Override
    protected Set<SocketOption<?>> supportedOptions() {
        return server ? SERVER_OPTIONS : OPTIONS;
    }

    @Override
    protected <T> void setOption(SocketOption<T> name, T value) throws IOException {
        JavaOptions.check(supportedOptions(), name);
        Integer tuning = KEEPALIVE_TUNING.get(name.name());
        if (tuning != null) {
            try {
                api.setsockopt(token(), Net.IPPROTO_TCP, tuning, (Integer) value);
            } catch (ErrnoException e) {
                throw failed(e, Call.OPTION);
            }
        } else if (name == StandardSocketOptions.SO_LINGER) {
            int v = (Integer) value;
            setOption(SO_LINGER, v < 0 ? (Object) Boolean.FALSE : (Object) v);
        } else if (name == StandardSocketOptions.SO_REUSEPORT) { // no int form in java.net.SocketOptions
            try {
                api.setsockopt(token(), Net.SOL_SOCKET, Net.SO_REUSEPORT, JavaOptions.bool(value));
            } catch (ErrnoException e) {
                throw failed(e, Call.OPTION);
            }
        } else {
            setOption(JavaOptions.intOption(name), value);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    protected <T> T getOption(SocketOption<T> name) throws IOException {
        JavaOptions.check(supportedOptions(), name);
        Integer tuning = KEEPALIVE_TUNING.get(name.name());
        if (tuning != null) {
            try {
                return (T) Integer.valueOf(api.getsockopt(token(), Net.IPPROTO_TCP, tuning));
            } catch (ErrnoException e) {
                throw failed(e, Call.OPTION);
            }
        }
        if (name == StandardSocketOptions.SO_REUSEPORT) {
            try {
                return (T) Boolean.valueOf(api.getsockopt(token(), Net.SOL_SOCKET, Net.SO_REUSEPORT) != 0);
            } catch (ErrnoException e) {
                throw failed(e, Call.OPTION);
            }
        }
        Object v = getOption(JavaOptions.intOption(name));
        if (name == StandardSocketOptions.SO_LINGER) {
            v = v instanceof Integer ? v : -1;
        }
        return (T) v;
    }

    // ---- streams ----

    /** Reads block in netkit's recv; 0 from recv (the peer's FIN) is -1 here. */
    private final class Input extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n > 0 ? one[0] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            int t = token();
            if (reset) {
                throw new SocketException("Connection reset");
            }
            if (len == 0) {
                return 0;
            }
            if (eof || inputShut) {
                return -1;
            }
            try {
                int n = api.recv(t, b, off, len, 0);
                if (n == 0) {
                    eof = true;
                    return -1;
                }
                return n;
            } catch (ErrnoException e) {
                if (inputShut) {
                    return -1;
                }
                throw failed(e, Call.READ);
            }
        }

        @Override
        public int available() throws IOException {
            return NetkitSocketImpl.this.available();
        }

        @Override
        public void close() throws IOException {
            NetkitSocketImpl.this.close();
        }
    }

    /** Writes block in netkit's send until every byte is queued. */
    private final class Output extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            int t = token();
            try {
                while (len > 0) {
                    int n = api.send(t, b, off, len, 0);
                    off += n;
                    len -= n;
                }
            } catch (ErrnoException e) {
                throw failed(e, Call.WRITE);
            }
        }

        @Override
        public void close() throws IOException {
            NetkitSocketImpl.this.close();
        }
    }
}
