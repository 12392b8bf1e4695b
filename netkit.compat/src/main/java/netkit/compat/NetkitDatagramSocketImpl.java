package netkit.compat;

import static netkit.compat.SocketErrors.Call;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocketImpl;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.RecvInfo;
import netkit.api.SockAddr;
import netkit.api.SocketManager;

/**
 * A {@link DatagramSocketImpl} over one netkit UDP token, for {@link java.net.DatagramSocket}'s
 * protected constructor (on JDK 17 and 25 the JDK wraps it in its legacy-impl adapter, which keeps
 * the bound/connected state). {@code SO_TIMEOUT} is netkit's {@link Net#SO_RCVTIMEO};
 * {@code SO_BROADCAST} starts on, as the JDK's datagram sockets on Linux. Multicast is not
 * supported.
 *
 * <p>A received datagram fills the packet's array from its offset to the array's end: the JDK's
 * own receive capacity ({@code bufLength}) is not visible outside {@code java.net}, and using
 * {@link DatagramPacket#getLength()} would shrink a reused packet to its last datagram.
 */
final class NetkitDatagramSocketImpl extends DatagramSocketImpl {
    private static final Set<SocketOption<?>> OPTIONS = Set.of(StandardSocketOptions.SO_SNDBUF,
            StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_BROADCAST,
            StandardSocketOptions.IP_TOS, StandardSocketOptions.SO_REUSEPORT);

    private final SocketManager api;
    private volatile int token = -1;
    private volatile boolean closed;
    private volatile int timeout;
    private volatile boolean connected;
    /** Options set by the user, level and option to value, re-applied when disconnect re-creates the socket. */
    private final Map<Long, Integer> applied = new LinkedHashMap<>();

    NetkitDatagramSocketImpl(SocketManager api) {
        this.api = Objects.requireNonNull(api, "api");
    }

    private int token() throws SocketException {
        return SocketErrors.usable(token, closed);
    }

    private IOException failed(ErrnoException e, Call call) {
        return SocketErrors.failed(e, call, closed);
    }

    @Override
    protected void create() throws SocketException {
        try {
            token = api.socket(Net.AF_INET, Net.SOCK_DGRAM, 0);
            api.setsockopt(token, Net.SOL_SOCKET, Net.SO_BROADCAST, 1);
        } catch (ErrnoException e) {
            throw (SocketException) SocketErrors.map(e, Call.CREATE);
        }
    }

    @Override
    protected void bind(int lport, InetAddress laddr) throws SocketException {
        try {
            localPort = api.bind(token(), SockAddr.of(Inet4.address(laddr), lport)).port();
        } catch (ErrnoException e) {
            throw (SocketException) failed(e, Call.BIND);
        }
    }

    @Override
    protected void send(DatagramPacket p) throws IOException {
        int t = token();
        try {
            if (connected) {
                api.send(t, p.getData(), p.getOffset(), p.getLength(), 0);
            } else {
                SockAddr to = SockAddr.of(Inet4.address(p.getAddress()), p.getPort());
                api.sendto(t, p.getData(), p.getOffset(), p.getLength(), 0, to);
            }
        } catch (ErrnoException e) {
            throw failed(e, Call.SEND);
        }
    }

    @Override
    protected void connect(InetAddress address, int port) throws SocketException {
        try {
            api.connect(token(), SockAddr.of(Inet4.address(address), port));
            connected = true;
        } catch (ErrnoException e) {
            throw (SocketException) failed(e, Call.CONNECT);
        }
    }

    /**
     * netkit has no way to unset a datagram socket's peer, so this re-creates the socket on the
     * same local address with the same options; datagrams queued on the old one are dropped.
     */
    @Override
    protected void disconnect() {
        if (!connected || closed) {
            return;
        }
        try {
            int old = token;
            SockAddr local = api.getsockname(old);
            api.closesocket(old);
            int t = api.socket(Net.AF_INET, Net.SOCK_DGRAM, 0);
            token = t;
            api.setsockopt(t, Net.SOL_SOCKET, Net.SO_BROADCAST, 1);
            synchronized (applied) {
                for (Map.Entry<Long, Integer> o : applied.entrySet()) {
                    api.setsockopt(t, (int) (o.getKey() >> 32), (int) (long) o.getKey(), o.getValue());
                }
            }
            api.bind(t, local);
            connected = false;
        } catch (ErrnoException e) {
            close(); // the old socket is gone and its port could not be taken again
        }
    }

    @Override
    protected int peek(InetAddress i) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[1], 1);
        return peekData(p);
    }

    @Override
    protected int peekData(DatagramPacket p) throws IOException {
        return receive(p, Net.MSG_PEEK);
    }

    @Override
    protected void receive(DatagramPacket p) throws IOException {
        receive(p, 0);
    }

    private int receive(DatagramPacket p, int flags) throws IOException {
        int t = token();
        RecvInfo info = new RecvInfo();
        byte[] data = p.getData();
        try {
            int n = api.recvfrom(t, data, p.getOffset(), data.length - p.getOffset(), flags, info);
            p.setAddress(Inet4.inet(info.from().address()));
            p.setPort(info.from().port());
            p.setLength(n);
            return info.from().port();
        } catch (ErrnoException e) {
            throw failed(e, Call.RECEIVE);
        }
    }

    @Override
    @Deprecated
    protected void setTTL(byte ttl) throws IOException {
        setTimeToLive(ttl & 0xff);
    }

    @Override
    @Deprecated
    protected byte getTTL() throws IOException {
        return (byte) getTimeToLive();
    }

    @Override
    protected void setTimeToLive(int ttl) throws IOException {
        set(Net.IPPROTO_IP, Net.IP_TTL, ttl);
    }

    @Override
    protected int getTimeToLive() throws IOException {
        return get(Net.IPPROTO_IP, Net.IP_TTL);
    }

    @Override
    protected void join(InetAddress inetaddr) throws IOException {
        throw new SocketException("netkit does not support multicast");
    }

    @Override
    protected void leave(InetAddress inetaddr) throws IOException {
        throw new SocketException("netkit does not support multicast");
    }

    @Override
    protected void joinGroup(SocketAddress mcastaddr, NetworkInterface netIf) throws IOException {
        throw new SocketException("netkit does not support multicast");
    }

    @Override
    protected void leaveGroup(SocketAddress mcastaddr, NetworkInterface netIf) throws IOException {
        throw new SocketException("netkit does not support multicast");
    }

    @Override
    protected void close() {
        int t = token;
        if (closed) {
            return;
        }
        closed = true;
        if (t >= 0) {
            try {
                api.closesocket(t);
            } catch (ErrnoException e) {
                // already gone (its protocol left, or the stack closed): nothing left to free
            }
        }
    }

    private void set(int level, int option, int value) throws SocketException {
        try {
            api.setsockopt(token(), level, option, value);
            synchronized (applied) {
                applied.put((long) level << 32 | option, value);
            }
        } catch (ErrnoException e) {
            throw (SocketException) failed(e, Call.OPTION);
        }
    }

    private int get(int level, int option) throws SocketException {
        try {
            return api.getsockopt(token(), level, option);
        } catch (ErrnoException e) {
            throw (SocketException) failed(e, Call.OPTION);
        }
    }

    @Override
    public void setOption(int optID, Object value) throws SocketException {
        switch (optID) {
            case SO_TIMEOUT:
                int ms = (Integer) value;
                set(Net.SOL_SOCKET, Net.SO_RCVTIMEO, ms);
                timeout = ms;
                break;
            case SO_SNDBUF:
                set(Net.SOL_SOCKET, Net.SO_SNDBUF, (Integer) value);
                break;
            case SO_RCVBUF:
                set(Net.SOL_SOCKET, Net.SO_RCVBUF, (Integer) value);
                break;
            case SO_REUSEADDR:
                set(Net.SOL_SOCKET, Net.SO_REUSEADDR, JavaOptions.bool(value));
                break;
            case SO_BROADCAST:
                set(Net.SOL_SOCKET, Net.SO_BROADCAST, JavaOptions.bool(value));
                break;
            case IP_TOS:
                set(Net.IPPROTO_IP, Net.IP_TOS, (Integer) value & 0xff);
                break;
            default:
                throw new SocketException("Option not supported: " + optID);
        }
    }

    @Override
    public Object getOption(int optID) throws SocketException {
        switch (optID) {
            case SO_TIMEOUT:
                token();
                return timeout;
            case SO_SNDBUF:
                return get(Net.SOL_SOCKET, Net.SO_SNDBUF);
            case SO_RCVBUF:
                return get(Net.SOL_SOCKET, Net.SO_RCVBUF);
            case SO_REUSEADDR:
                return get(Net.SOL_SOCKET, Net.SO_REUSEADDR) != 0;
            case SO_BROADCAST:
                return get(Net.SOL_SOCKET, Net.SO_BROADCAST) != 0;
            case IP_TOS:
                return get(Net.IPPROTO_IP, Net.IP_TOS);
            case SO_BINDADDR:
                try {
                    return Inet4.inet(api.getsockname(token()).address());
                } catch (ErrnoException e) {
                    throw (SocketException) failed(e, Call.OPTION);
                }
            default:
                throw new SocketException("Option not supported: " + optID);
        }
    }

    @Override
    protected Set<SocketOption<?>> supportedOptions() {
        return OPTIONS;
    }

    @Override
    protected <T> void setOption(SocketOption<T> name, T value) throws IOException {
        JavaOptions.check(OPTIONS, name);
        if (name == StandardSocketOptions.SO_REUSEPORT) { // no int form in java.net.SocketOptions
            set(Net.SOL_SOCKET, Net.SO_REUSEPORT, JavaOptions.bool(value));
            return;
        }
        setOption(JavaOptions.intOption(name), value);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected <T> T getOption(SocketOption<T> name) throws IOException {
        JavaOptions.check(OPTIONS, name);
        if (name == StandardSocketOptions.SO_REUSEPORT) {
            return (T) Boolean.valueOf(get(Net.SOL_SOCKET, Net.SO_REUSEPORT) != 0);
        }
        return (T) getOption(JavaOptions.intOption(name));
    }
}
