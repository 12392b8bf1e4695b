package netkit.icmp;

import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.protocol.IcmpError;
import netkit.api.spi.support.DatagramSocketBase;
import netkit.api.spi.protocol.Route;
import netkit.api.spi.protocol.SocketOptions;
import netkit.api.stats.IcmpCounter;
import netkit.api.wire.IcmpHeader;
import netkit.api.wire.Ipv4Options;

/**
 * A datagram ICMP socket, as the Network Kit offers instead of raw sockets (and as Linux ping
 * sockets work): {@code sendto} takes an echo request (type 8, code 0, 8-byte header and data),
 * the stack stamps the socket's identifier and the checksum; {@code recvfrom} returns the echo
 * replies carrying that identifier, ICMP header included. The identifier is the socket's "port"
 * ({@code bind} may choose it, else one is picked on first send). Errors quoting one of its
 * requests (unreachable, time exceeded) are reported by the next call, or with
 * {@link Net#IP_RECVERR} received as messages from their reporter.
 */
final class IcmpSocket extends DatagramSocketBase {
    private static final byte[] NO_OPTIONS = new byte[0];
    private final IcmpInstance icmp;
    /** {@link Net#IP_RECVERR}: errors arrive as messages; lock held to read or write. */
    private boolean receiveErrors;
    /** {@link Net#IP_RECORDROUTE}: requests carry a Record Route option; lock held. */
    private boolean recordRoute;

    IcmpSocket(IcmpInstance icmp, SocketOptions options) {
        super(icmp.ctx, options, icmp.ids, "icmp");
        this.icmp = icmp;
    }

    @Override
    protected int maxPayload() {
        return 65535 - 20;
    }

    @Override
    protected boolean needsPort() {
        return false;
    }

    @Override
    protected void emit(byte[] buf, int off, int len, int id, SockAddr dst, Route r) throws ErrnoException {
        if (len < IcmpHeader.LEN || (buf[off] & 0xff) != IcmpHeader.ECHO_REQUEST || buf[off + 1] != 0) {
            throw new ErrnoException(Errno.EINVAL, "an ICMP socket sends echo requests: type 8, code 0, 8+ bytes");
        }
        PacketBuffer b = ctx.pool().acquire(len);
        int at = b.append(len);
        System.arraycopy(buf, off, b.array(), at, len);
        IcmpHeader.finishEcho(b.array(), at, len, IcmpHeader.ECHO_REQUEST, id);
        ctx.output(b, r, Net.IPPROTO_ICMP, options.ttl(), options.tos(), false,
                recordRoute ? emptyRecordRoute() : NO_OPTIONS);
        icmp.counters.inc(IcmpCounter.OUT_ECHOS);
    }

    @Override
    public void setOption(int level, int option, int value) throws ErrnoException {
        if (level == Net.IPPROTO_IP && (option == Net.IP_RECVERR || option == Net.IP_RECORDROUTE)) {
            if (value != 0 && value != 1) {
                throw new ErrnoException(Errno.EINVAL, "IP_RECVERR and IP_RECORDROUTE are 0 or 1");
            }
            ctx.lock().lock();
            try {
                if (option == Net.IP_RECVERR) {
                    receiveErrors = value != 0;
                } else {
                    recordRoute = value != 0;
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
        if (level == Net.IPPROTO_IP && (option == Net.IP_RECVERR || option == Net.IP_RECORDROUTE)) {
            ctx.lock().lock();
            try {
                return (option == Net.IP_RECVERR ? receiveErrors : recordRoute) ? 1 : 0;
            } finally {
                ctx.lock().unlock();
            }
        }
        return super.getOption(level, option);
    }

    /**
     * An ICMP error quoting one of this socket's requests: queued as the message itself (type,
     * code, the quoted IP header and 8 bytes, RFC 792) from {@code reporter} with
     * {@link Net#IP_RECVERR}, else reported by the next call. Lock held; whether it was queued.
     */
    boolean error(IcmpError e) {
        if (!receiveErrors) {
            error(e.errno());
            return true;
        }
        byte[] m = e.message();
        return offer(SockAddr.of(e.from(), 0), -1, m, 0, m.length);
    }

    /** RFC 791 Record Route with room for 9 addresses (39 bytes, pointer 4) and one byte of padding. */
    private static byte[] emptyRecordRoute() {
        byte[] o = new byte[40];
        o[0] = (byte) Ipv4Options.RECORD_ROUTE;
        o[1] = 39;
        o[2] = 4;
        return o;
    }

    /** Whether a reply from {@code source} may be received. */
    boolean accepts(int source) {
        SockAddr peer = remoteAddress();
        return accepts(peer != null && peer.address() == source ? peer : SockAddr.of(source, 0));
    }

    @Override
    protected void closed() {
        icmp.forget(this);
    }
}
