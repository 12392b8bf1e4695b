package netkit.udp;

import java.util.ArrayDeque;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.RecvInfo;
import netkit.api.SockAddr;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.support.DatagramSocketBase;
import netkit.api.spi.protocol.IcmpError;
import netkit.api.spi.protocol.Readiness;
import netkit.api.spi.protocol.Route;
import netkit.api.spi.protocol.SocketOptions;
import netkit.api.stats.UdpCounter;
import netkit.api.wire.UdpHeader;

/**
 * A UDP socket: the datagram semantics of {@link DatagramSocketBase}, with datagrams up to 65,507
 * bytes (larger ones are fragmented by IPv4) and the checksum computed on send unless the link
 * vouches for the data (RFC 768 allows 0, "no checksum"). With {@link Net#IP_RECVERR} the ICMP errors
 * about its datagrams go to an error queue read with {@link Net#MSG_ERRQUEUE} (what traceroute uses).
 */
final class UdpSocket extends DatagramSocketBase {
    /** Error messages kept at most (Linux bounds the error queue by the receive buffer). */
    static final int MAX_ERRORS = 64;
    private final UdpInstance udp;
    /** {@link Net#IP_RECVERR}; lock held to read or write. */
    private boolean receiveErrors;
    /** The error queue; lock held. */
    private final ArrayDeque<QueuedError> errors = new ArrayDeque<>();

    /** An ICMP error message as {@code MSG_ERRQUEUE} returns it, and the host that reported it. */
    private record QueuedError(SockAddr reporter, byte[] message) {
    }

    UdpSocket(UdpInstance udp, SocketOptions options) {
        super(udp.ctx, options, udp.ports, "udp");
        this.udp = udp;
    }

    @Override
    protected int maxPayload() {
        return UdpHeader.MAX_PAYLOAD;
    }

    @Override
    protected boolean needsPort() {
        return true;
    }

    @Override
    protected void emit(byte[] buf, int off, int len, int localPort, SockAddr dst, Route r) throws ErrnoException {
        PacketBuffer b = ctx.pool().acquire(UdpHeader.LEN + len);
        int at = b.append(UdpHeader.LEN + len);
        System.arraycopy(buf, off, b.array(), at + UdpHeader.LEN, len);
        UdpHeader.emit(b.array(), at, localPort, dst.port(), UdpHeader.LEN + len, r.source(), dst.address(),
                !r.checksumNotNeeded());
        ctx.output(b, r, Net.IPPROTO_UDP, options.ttl(), options.tos(), false);
        udp.counters.inc(UdpCounter.OUT_DATAGRAMS);
    }

    @Override
    public void setOption(int level, int option, int value) throws ErrnoException {
        if (level == Net.IPPROTO_IP && option == Net.IP_RECVERR) {
            if (value != 0 && value != 1) {
                throw new ErrnoException(Errno.EINVAL, "IP_RECVERR is 0 or 1");
            }
            ctx.lock().lock();
            try {
                receiveErrors = value != 0;
                if (!receiveErrors) {
                    errors.clear();
                }
            } finally {
                ctx.lock().unlock();
            }
            return;
        }
        super.setOption(level, option, value);
    }

    @Override
    public int getOption(int level, int option) throws ErrnoException {
        if (level == Net.IPPROTO_IP && option == Net.IP_RECVERR) {
            ctx.lock().lock();
            try {
                return receiveErrors ? 1 : 0;
            } finally {
                ctx.lock().unlock();
            }
        }
        return super.getOption(level, option);
    }

    /** Whether ICMP errors go to the error queue ({@link Net#IP_RECVERR}). Lock held. */
    boolean receivesErrors() {
        return receiveErrors;
    }

    /**
     * Queues an ICMP error quoting one of this socket's datagrams as the message itself (type,
     * code, the quoted IP header and 8 bytes) from its reporter; the oldest is dropped beyond
     * {@value #MAX_ERRORS}. Lock held.
     */
    void queueError(IcmpError e) {
        if (errors.size() == MAX_ERRORS) {
            errors.removeFirst();
        }
        errors.addLast(new QueuedError(SockAddr.of(e.from(), 0), e.message()));
    }

    @Override
    public int recv(byte[] buf, int offset, int length, int flags, RecvInfo info) throws ErrnoException {
        if ((flags & Net.MSG_ERRQUEUE) == 0) {
            return super.recv(buf, offset, length, flags, info);
        }
        ctx.lock().lock();
        try {
            QueuedError e = (flags & Net.MSG_PEEK) != 0 ? errors.peekFirst() : errors.pollFirst();
            if (e == null) {
                if ((flags & Net.MSG_TRY) != 0) {
                    return Net.WOULDBLOCK;
                }
                throw new ErrnoException(Errno.EWOULDBLOCK, "the error queue is empty");
            }
            byte[] m = e.message();
            int n = Math.min(length, m.length);
            System.arraycopy(m, 0, buf, offset, n);
            if (info != null) {
                info.set(e.reporter(), n < m.length ? Net.MSG_TRUNC : 0, m.length, 0);
            }
            return n;
        } finally {
            ctx.lock().unlock();
        }
    }

    @Override
    public int readiness() {
        int r = super.readiness();
        return errors.isEmpty() ? r : r | Readiness.READ;
    }

    @Override
    protected void closed() {
        udp.forget(this);
    }
}
