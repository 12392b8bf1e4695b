package netkit.stack.ip;

import java.util.function.IntFunction;
import netkit.api.Net;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.protocol.IpMeta;
import netkit.api.spi.protocol.ProtocolInstance;
import netkit.api.stats.CounterSet;
import netkit.api.stats.IpCounter;
import netkit.api.wire.IcmpHeader;
import netkit.api.wire.Ipv4Options;
import netkit.api.wire.Ipv4Packet;
import netkit.stack.autoconf.BoundPorts;
import netkit.stack.iface.NetInterface;
import netkit.stack.route.RouteResolver;

/**
 * The IPv4 input path of a host (RFC 791, RFC 1122 §3.2.1): validate, accept only datagrams for
 * this host, reassemble, and hand the payload to the transport protocol (or answer protocol
 * unreachable). ICMP error messages go to the {@link IcmpErrorReceiver}, the other ICMP messages to
 * the ICMP protocol; a {@code SOCK_RAW} protocol of the number (raw ICMP sockets) is shown each
 * datagram first. Hosts do not forward. Caller holds the stack lock.
 */
public final class Ipv4Input {
    private final RouteResolver routes;
    private final IntFunction<ProtocolInstance> protocols;
    private final IntFunction<ProtocolInstance> rawProtocols;
    private final CounterSet<IpCounter> counters;
    private final Reassembler reassembler;
    private final IcmpErrorSender icmpErrorSender;
    private final IcmpErrorReceiver icmpErrorReceiver;
    private final BoundPorts boundPorts;
    private final Ipv4Packet view = new Ipv4Packet();
    private final IpMeta meta = new IpMeta();

    /**
     * An input path that tells own addresses by {@code routes} and finds the transport of a
     * protocol number with {@code protocols} (null when none); {@code boundPorts} (ports bound to
     * an interface, such as a DHCP client's) take their UDP datagrams first; the {@code SOCK_RAW}
     * protocol of a number ({@code rawProtocols}, null when none) is shown each datagram before it.
     */
    public Ipv4Input(RouteResolver routes, IntFunction<ProtocolInstance> protocols,
            IntFunction<ProtocolInstance> rawProtocols, CounterSet<IpCounter> ipCounters, Reassembler reassembler,
            IcmpErrorSender icmpErrorSender, IcmpErrorReceiver icmpErrorReceiver, BoundPorts boundPorts) {
        this.boundPorts = boundPorts;
        this.routes = routes;
        this.protocols = protocols;
        this.rawProtocols = rawProtocols;
        this.counters = ipCounters;
        this.reassembler = reassembler;
        this.icmpErrorSender = icmpErrorSender;
        this.icmpErrorReceiver = icmpErrorReceiver;
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
        boolean broadcast = dst == -1 || RouteResolver.isBroadcastFor(iface, dst);
        boolean bound = boundPorts.claims(iface, pkt, ip, broadcast);
        if (!bound && !broadcast && !routes.isLocalAddress(dst)) {
            counters.inc(IpCounter.IN_ADDR_ERRORS); // a host does not forward (RFC 1122 §3.3.1)
            pkt.release();
            return;
        }
        if (routes.isMartianSource(iface, src, dst)) {
            counters.inc(IpCounter.IN_ADDR_ERRORS); // RFC 1122 §3.2.1.3: silently discard bad sources
            counters.inc(IpCounter.IN_MARTIAN_SRC);
            pkt.release();
            return;
        }
        int badOption = Ipv4Options.firstMalformed(pkt.array(), pkt.offset(), ip.headerLength());
        if (badOption >= 0) {
            // RFC 1122 §3.2.2.5: Parameter Problem (code 0, the pointer at the bad option), as Linux does
            counters.inc(IpCounter.IN_HDR_ERRORS);
            if (!broadcast) {
                icmpErrorSender.send(IcmpHeader.PARAMETER_PROBLEM, 0, badOption << 24, pkt.array(), pkt.offset(),
                        pkt.length(), linkBroadcast);
            }
            pkt.release();
            return;
        }
        if (bound) {
            boundPorts.deliver(iface, pkt, ip, checksumNotNeeded); // an interface-bound port (DHCP client)
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
        boolean icmpError = ip.protocol() == Net.IPPROTO_ICMP
                && icmpErrorReceiver.handles(pkt.array(), ip.payloadOffset(), ip.payloadLength());
        ProtocolInstance p = icmpError ? null : protocols.apply(ip.protocol());
        ProtocolInstance raw = rawProtocols.apply(ip.protocol());
        int hl = ip.headerLength();
        int at = pkt.offset();
        if (raw == null && !icmpError && p == null) {
            unknownProtocol(pkt, at, broadcast, linkBroadcast);
            return;
        }
        // Record Route (RFC 791): like Linux, record the address the datagram came to.
        Ipv4Options.recordRoute(pkt.array(), at, hl, broadcast ? iface.address() : ip.destination());
        meta.set(ip.source(), ip.destination(), ip.ttl(), ip.tos(), at, hl, iface.name(), broadcast,
                checksumNotNeeded);
        pkt.consume(hl);
        // Linux's order (ip_local_deliver_finish): raw sockets get their copy before the protocol
        // handler, so they see an echo request as it came, before it becomes the reply.
        boolean taken = raw != null && raw.rawInput(pkt, meta);
        if (!icmpError && p == null) {
            if (taken) {
                counters.inc(IpCounter.IN_DELIVERS); // a raw socket took it: no protocol unreachable
                pkt.release();
            } else {
                unknownProtocol(pkt, at, broadcast, linkBroadcast);
            }
            return;
        }
        counters.inc(IpCounter.IN_DELIVERS);
        if (icmpError) {
            icmpErrorReceiver.receive(pkt, meta);
        } else {
            p.receive(pkt, meta);
        }
    }

    /** No protocol for the datagram at {@code at}: counted, answered protocol unreachable; released. */
    private void unknownProtocol(PacketBuffer pkt, int at, boolean broadcast, boolean linkBroadcast) {
        counters.inc(IpCounter.IN_UNKNOWN_PROTOS);
        if (!broadcast) {
            icmpErrorSender.send(IcmpHeader.DEST_UNREACHABLE, IcmpHeader.CODE_PROTOCOL_UNREACHABLE, 0,
                    pkt.array(), at, pkt.offset() + pkt.length() - at, linkBroadcast);
        }
        pkt.release();
    }
}
