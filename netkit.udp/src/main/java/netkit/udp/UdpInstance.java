package netkit.udp;

import java.util.Optional;
import netkit.api.SockAddr;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.support.DatagramSocketBase;
import netkit.api.spi.support.DatagramSockets;
import netkit.api.spi.protocol.IcmpError;
import netkit.api.spi.protocol.IpMeta;
import netkit.api.spi.support.PortTable;
import netkit.api.spi.protocol.ProtocolInstance;
import netkit.api.spi.protocol.ProtocolSocket;
import netkit.api.spi.protocol.SocketOptions;
import netkit.api.spi.protocol.StackContext;
import netkit.api.stats.CounterSet;
import netkit.api.stats.CounterSnapshot;
import netkit.api.stats.UdpCounter;
import netkit.api.wire.Bytes;
import netkit.api.wire.IcmpHeader;
import netkit.api.wire.UdpHeader;

/**
 * UDP on one stack: port bindings, demultiplexing of received datagrams (RFC 768, RFC 1122
 * §4.1.3), port unreachable for closed ports, and ICMP errors for connected sockets.
 */
final class UdpInstance implements ProtocolInstance {
    final StackContext ctx;
    final PortTable<DatagramSocketBase> ports;
    private final DatagramSockets<UdpSocket> sockets;
    private final UdpHeader header = new UdpHeader();
    final CounterSet<UdpCounter> counters = new CounterSet<>(UdpCounter.class);

    UdpInstance(StackContext ctx) {
        this.ctx = ctx;
        this.sockets = new DatagramSockets<>(ctx);
        this.ports = new PortTable<>(ctx::isLocalAddress, ctx.secureRandom());
    }

    @Override
    public ProtocolSocket open(SocketOptions options) {
        return sockets.open(o -> new UdpSocket(this, o), options);
    }

    void forget(UdpSocket s) {
        sockets.forget(s);
    }

    @Override
    public void receive(PacketBuffer packet, IpMeta ip) {
        try {
            byte[] a = packet.array();
            int at = packet.offset();
            if (!header.wrap(a, at, packet.length())) {
                counters.inc(UdpCounter.IN_ERRORS);
                return;
            }
            int len = header.length();
            if (len < UdpHeader.LEN || len > packet.length()) {
                counters.inc(UdpCounter.IN_ERRORS); // RFC 768: the length covers header and data
                return;
            }
            if (header.checksum() != 0 && !ip.checksumNotNeeded()
                    && !UdpHeader.verify(a, at, len, ip.source(), ip.destination())) {
                counters.inc(UdpCounter.IN_CSUM_ERRORS);
                counters.inc(UdpCounter.IN_ERRORS);
                return;
            }
            SockAddr from = SockAddr.of(ip.source(), header.sourcePort());
            int dstPort = header.destinationPort();
            if (ip.broadcast()) {
                deliverBroadcast(from, ip, dstPort, a, at + UdpHeader.LEN, len - UdpHeader.LEN);
                return;
            }
            // an SO_REUSEPORT group spreads datagrams over its members by the 4-tuple's hash
            DatagramSocketBase s = ports.lookup(ip.destination(), dstPort, ip.source(), header.sourcePort(),
                    m -> m.accepts(from));
            if (s != null && s.accepts(from)) {
                deliver(s, from, ip.ttl(), a, at + UdpHeader.LEN, len - UdpHeader.LEN);
                return;
            }
            counters.inc(UdpCounter.NO_PORTS);
            ctx.sendUnreachable(packet, ip, IcmpHeader.CODE_PORT_UNREACHABLE); // RFC 1122 §4.1.3.1
        } finally {
            packet.release();
        }
    }

    private void deliverBroadcast(SockAddr from, IpMeta ip, int port, byte[] a, int off, int len) {
        int dst = ip.destination();
        boolean any = false;
        for (DatagramSocketBase s : ports.all(port)) {
            int bound = s.localAddress().address();
            if ((bound == 0 || bound == dst) && s.accepts(from)) {
                deliver(s, from, ip.ttl(), a, off, len);
                any = true;
            }
        }
        if (!any) {
            counters.inc(UdpCounter.NO_PORTS); // no ICMP error for broadcasts (RFC 1122 §3.2.2)
        }
    }

    private void deliver(DatagramSocketBase s, SockAddr from, int ttl, byte[] a, int off, int len) {
        if (s.offer(from, ttl, a, off, len)) {
            counters.inc(UdpCounter.IN_DATAGRAMS);
            ctx.readinessChanged();
        } else {
            counters.inc(UdpCounter.RCVBUF_ERRORS);
            counters.inc(UdpCounter.IN_ERRORS);
        }
    }

    @Override
    public void icmpError(IcmpError e) {
        if (e.quotedTransportLength() < 4) {
            return;
        }
        int at = e.quotedTransportOffset();
        int dst = e.quotedDestination();
        int dstPort = Bytes.get16(e.quote(), at + 2);
        SockAddr to = SockAddr.of(dst, dstPort);
        DatagramSocketBase s = ports.lookup(e.quotedSource(), Bytes.get16(e.quote(), at), dst, dstPort,
                m -> m.connectedTo(to)); // in an SO_REUSEPORT group: the member connected to that peer
        // Only connected sockets hear of errors, and only of hard ones (RFC 1122 §4.1.3.3 leaves it to
        // the application; like Linux without IP_RECVERR): the peer must be the one the datagram went
        // to. A soft error from the network (time exceeded, say) is not reported; our own ARP failure
        // is (reported by ourselves, as Linux's arp_error_report).
        boolean local = e.from() == e.quotedSource();
        if (s instanceof UdpSocket u && u.receivesErrors()) { // IP_RECVERR: every error, as a message
            u.queueError(e);
            ctx.readinessChanged();
            return;
        }
        if ((e.hard() || local) && s != null && s.connectedTo(SockAddr.of(dst, dstPort))) {
            s.error(e.errno());
            ctx.readinessChanged();
        }
    }

    @Override
    public void detach() {
        sockets.detachAll();
    }

    @Override
    public Optional<CounterSnapshot<?>> counters() {
        return Optional.of(counters.snapshot());
    }
}
