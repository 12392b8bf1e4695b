package netkit.stack.ip;

import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.protocol.IpMeta;
import netkit.api.spi.protocol.ProtocolInstance;
import netkit.api.stats.CounterSet;
import netkit.api.stats.IpCounter;
import netkit.api.wire.Ipv4Packet;
import netkit.stack.iface.NetInterface;

/**
 * The IPv4 input path of a host (RFC 791, RFC 1122 §3.2.1): validate, accept only datagrams for
 * this host, reassemble, and hand the payload to the transport protocol (or answer protocol
 * unreachable). Hosts do not forward. Used under the stack lock.
 */
public final class Ipv4Input {
    /** What the input path needs from the stack. */
    public interface Port {
        /** Whether {@code a} is an address of any interface (weak host model, RFC 1122 §3.3.4.2). */
        boolean isLocalAddress(int a);

        /** Whether {@code a} is a broadcast address for {@code iface}. */
        boolean isBroadcastFor(NetInterface iface, int a);

        /** The protocol instance for an IP protocol number, or null. */
        ProtocolInstance protocol(int number);
    }

    private final Port port;
    private final CounterSet<IpCounter> counters;
    private final Reassembler reassembler;
    private final IcmpErrorSender icmp;
    private final Ipv4Packet view = new Ipv4Packet();
    private final IpMeta meta = new IpMeta();

    /** An input path. */
    public Ipv4Input(Port port, CounterSet<IpCounter> ipCounters, Reassembler reassembler, IcmpErrorSender icmp) {
        this.port = port;
        this.counters = ipCounters;
        this.reassembler = reassembler;
        this.icmp = icmp;
    }

    /**
     * Handles a received IP packet (offset at the IP header). Takes ownership of the buffer; never
     * throws on malformed input.
     */
    public void input(NetInterface iface, PacketBuffer pkt, boolean linkBroadcast, boolean checksumNotNeeded) {
        counters.inc(IpCounter.IN_RECEIVES);
        Ipv4Packet ip = view.wrap(pkt.array(), pkt.offset(), pkt.length());
        if (ip.check(!checksumNotNeeded) != null) {
            counters.inc(IpCounter.IN_HDR_ERRORS);
            iface.countRxError();
            pkt.release();
            return;
        }
        pkt.truncate(ip.totalLength()); // drop link-layer padding
        int dst = ip.destination();
        int src = ip.source();
        boolean broadcast = dst == -1 || port.isBroadcastFor(iface, dst);
        if (!broadcast && !port.isLocalAddress(dst)) {
            counters.inc(IpCounter.IN_ADDR_ERRORS); // a host does not forward (RFC 1122 §3.3.1)
            pkt.release();
            return;
        }
        if (src == -1 || (src >>> 28) == 0xe || (src != 0 && port.isBroadcastFor(iface, src))) {
            counters.inc(IpCounter.IN_ADDR_ERRORS); // RFC 1122 §3.2.1.3: silently discard bad sources
            pkt.release();
            return;
        }
        if (ip.isFragment()) {
            PacketBuffer whole = reassembler.add(ip, pkt);
            if (whole == null) {
                return;
            }
            pkt = whole;
            ip = view.wrap(pkt.array(), pkt.offset(), pkt.length());
        }
        deliver(iface, pkt, ip, broadcast, linkBroadcast, checksumNotNeeded);
    }

    private void deliver(NetInterface iface, PacketBuffer pkt, Ipv4Packet ip, boolean broadcast,
            boolean linkBroadcast, boolean checksumNotNeeded) {
        ProtocolInstance p = port.protocol(ip.protocol());
        if (p == null) {
            counters.inc(IpCounter.IN_UNKNOWN_PROTOS);
            if (!broadcast) {
                icmp.send(IcmpErrorSender.DEST_UNREACHABLE, IcmpErrorSender.PROTOCOL_UNREACHABLE, 0, pkt.array(),
                        pkt.offset(), pkt.length(), linkBroadcast);
            }
            pkt.release();
            return;
        }
        int hl = ip.headerLength();
        meta.set(ip.source(), ip.destination(), ip.ttl(), ip.tos(), pkt.offset(), hl, iface.name(), broadcast,
                checksumNotNeeded);
        pkt.consume(hl);
        counters.inc(IpCounter.IN_DELIVERS);
        p.receive(pkt, meta);
    }
}
