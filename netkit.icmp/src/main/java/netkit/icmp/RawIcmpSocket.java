package netkit.icmp;

import java.util.Map;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.protocol.IpMeta;
import netkit.api.spi.protocol.Route;
import netkit.api.spi.protocol.SocketOptions;
import netkit.api.spi.support.DatagramSocketCore;
import netkit.api.stats.IcmpCounter;
import netkit.api.wire.Bytes;
import netkit.api.wire.Checksum;
import netkit.api.wire.IcmpHeader;

/**
 * A raw ICMP socket, as Linux's raw(7) and ip(7) describe it for {@code IPPROTO_ICMP}:
 * <ul>
 * <li>{@code send}/{@code sendto} take a whole ICMP message (type, code, checksum, body; at most
 * 65,515 bytes, else EMSGSIZE); the stack adds the IPv4 header: source the bound address or the
 * route's, TTL and TOS from {@code IP_TTL}/{@code IP_TOS}, DF clear (fragmented when needed). The
 * checksum is sent as given, except that a zero checksum field is filled in (netkit's convenience;
 * Linux would send the zero). The destination's port is ignored.</li>
 * <li>{@code recv}/{@code recvfrom} return every ICMP datagram this host receives that matches the
 * socket (bound address = destination, connected peer = source, type not in {@code ICMP_FILTER};
 * at least the 8-byte ICMP header, as Linux), IPv4 header included, the sender in {@code RecvInfo}.
 * The stack's own processing goes on (echo requests are answered). {@code recv} needs no
 * {@code connect}. The queue is bounded by {@code SO_RCVBUF} like UDP's; drops are counted.</li>
 * <li>{@code bind} takes a local or broadcast address (EADDRNOTAVAIL otherwise), port ignored, and
 * may be repeated until {@code connect}; {@code getsockname} shows the protocol number as the port,
 * as Linux does. {@code connect} sets the default destination and filters received datagrams to
 * it; an unbound socket then receives only datagrams to the route's source address (Linux).</li>
 * <li>Errors quoting what the socket sent arrive as ICMP messages like any other; no errno is kept
 * ({@code SO_ERROR} reads 0). {@code IP_HDRINCL} is not supported (ENOPROTOOPT when set non-zero).</li>
 * </ul>
 */
final class RawIcmpSocket extends DatagramSocketCore {
    /** Largest ICMP message: what fits an IPv4 datagram with a 20-byte header (Linux's limit). */
    static final int MAX_MESSAGE = 65535 - 20;

    private final RawIcmpInstance raw;
    // all guarded by the stack lock
    private int boundAddress; // receive filter: 0 = any destination
    private int sourceAddress; // 0 = the route's source
    private int filter;
    private long drops;

    RawIcmpSocket(RawIcmpInstance raw, SocketOptions options) {
        super(raw.ctx, options, RawIcmpProtocol.NAME, "raw");
        this.raw = raw;
    }

    @Override
    protected int maxPayload() {
        return MAX_MESSAGE;
    }

    /** The destination's port is ignored. */
    @Override
    protected boolean needsPort() {
        return false;
    }

    @Override
    public SockAddr bind(SockAddr local) throws ErrnoException {
        lock();
        try {
            usable();
            if (peer() != null) {
                throw new ErrnoException(Errno.EINVAL, "bind after connect");
            }
            int a = local.address();
            boolean broadcast = a != 0 && ctx.isBroadcast(a);
            if (a != 0 && !broadcast && !ctx.isLocalAddress(a)) {
                throw new ErrnoException(Errno.EADDRNOTAVAIL, SockAddr.formatAddress(a) + " is not an address of this host");
            }
            boundAddress = a;
            sourceAddress = broadcast ? 0 : a; // bound to a broadcast address: the interface's source (Linux)
            return localAddress();
        } finally {
            unlock();
        }
    }

    @Override
    protected SockAddr connected(SockAddr remote, Route r) {
        if (boundAddress == 0) { // ip4_datagram_connect: the route's source becomes the local address
            boundAddress = r.source();
            sourceAddress = r.source();
        }
        return SockAddr.of(remote.address(), 0);
    }

    @Override
    protected int sendingFrom() {
        return sourceAddress;
    }

    @Override
    protected void transmit(byte[] buf, int offset, int length, SockAddr dst, Route r) throws ErrnoException {
        PacketBuffer b = ctx.pool().acquire(length);
        int at = b.append(length);
        byte[] a = b.array();
        System.arraycopy(buf, offset, a, at, length);
        if (length >= 4 && Bytes.get16(a, at + 2) == 0) {
            Bytes.put16(a, at + 2, Checksum.of(a, at, length)); // the field is 0 while summing
        }
        int type = length > 0 ? a[at] & 0xff : -1;
        ctx.output(b, r, Net.IPPROTO_ICMP, options.ttl(), options.tos(), false);
        count(type);
    }

    /** Counts a sent message in the ICMP Out counter of its type, as Linux's icmp_out_count. */
    private void count(int type) {
        raw.counters.inc(IcmpCounter.RAW_OUT_MSGS);
        IcmpCounter c = switch (type) {
            case IcmpHeader.ECHO_REQUEST -> IcmpCounter.OUT_ECHOS;
            case IcmpHeader.ECHO_REPLY -> IcmpCounter.OUT_ECHO_REPS;
            case IcmpHeader.DEST_UNREACHABLE -> IcmpCounter.OUT_DEST_UNREACHS;
            case IcmpHeader.TIME_EXCEEDED -> IcmpCounter.OUT_TIME_EXCDS;
            case IcmpHeader.PARAMETER_PROBLEM -> IcmpCounter.OUT_PARM_PROBS;
            default -> null;
        };
        if (c != null) {
            raw.counters.inc(c);
        }
    }

    @Override
    public void setOption(int level, int option, int value) throws ErrnoException {
        lock();
        try {
            if (level == Net.SOL_SOCKET) {
                queue.wake(); // a changed SO_NONBLOCK or SO_RCVTIMEO applies to waiting receivers too
                return;
            }
            if (level == Net.SOL_RAW && option == Net.ICMP_FILTER) {
                usable();
                filter = value;
                return;
            }
            if (level == Net.IPPROTO_IP && (option == Net.IP_TTL || option == Net.IP_TOS)) {
                return; // stored by the socket layer, read on each send
            }
            if (level == Net.IPPROTO_IP && option == Net.IP_HDRINCL && value == 0) {
                return;
            }
            throw new ErrnoException(Errno.ENOPROTOOPT, option == Net.IP_HDRINCL && level == Net.IPPROTO_IP
                    ? "IP_HDRINCL is not supported: the stack writes the IPv4 header"
                    : "raw ICMP sockets have no option " + option + " at level " + level);
        } finally {
            unlock();
        }
    }

    @Override
    public int getOption(int level, int option) throws ErrnoException {
        lock();
        try {
            if (level == Net.SOL_RAW && option == Net.ICMP_FILTER) {
                return filter;
            }
            if (level == Net.IPPROTO_IP && option == Net.IP_HDRINCL) {
                return 0;
            }
            throw new ErrnoException(Errno.ENOPROTOOPT, "raw ICMP sockets have no option " + option + " at level " + level);
        } finally {
            unlock();
        }
    }

    @Override
    public SockAddr localAddress() {
        return SockAddr.of(boundAddress, Net.IPPROTO_ICMP);
    }

    @Override
    protected void closed() {
        raw.forget(this);
    }

    /**
     * Whether a datagram from {@code source} to {@code destination} carrying ICMP {@code type} (-1
     * when shorter than the 8-byte ICMP header) is for this socket, as Linux's raw_v4_match and
     * icmp_filter decide. Lock held.
     */
    boolean matches(int source, int destination, int type) {
        if (!receiving() || type < 0) {
            return false;
        }
        SockAddr peer = peer();
        if (boundAddress != 0 && boundAddress != destination || peer != null && peer.address() != source) {
            return false;
        }
        return type >= 32 || (filter & (1 << type)) == 0;
    }

    /** Queues a copy of the datagram {@code a[from..from+len)}, header included; false when full. Lock held. */
    boolean offer(IpMeta ip, byte[] a, int from, int len) {
        if (queue.offer(SockAddr.of(ip.source(), 0), ip.ttl(), a, from, len)) {
            return true;
        }
        drops++;
        return false;
    }

    @Override
    protected Map<String, String> statusDetails() {
        return Map.of("drops", Long.toString(drops));
    }
}
