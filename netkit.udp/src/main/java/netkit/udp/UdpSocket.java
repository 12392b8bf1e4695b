package netkit.udp;

import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.support.DatagramSocketBase;
import netkit.api.spi.protocol.Route;
import netkit.api.spi.protocol.SocketOptions;
import netkit.api.stats.UdpCounter;
import netkit.api.wire.UdpHeader;

/**
 * A UDP socket: the datagram semantics of {@link DatagramSocketBase}, with datagrams up to 65,507
 * bytes (larger ones are fragmented by IPv4) and the checksum computed on send unless the link
 * vouches for the data (RFC 768 allows 0, "no checksum").
 */
final class UdpSocket extends DatagramSocketBase {
    private final UdpInstance udp;

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
    protected void closed() {
        udp.forget(this);
    }
}
