package netkit.icmp;

import java.util.Optional;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.support.DatagramSocketBase;
import netkit.api.spi.support.DatagramSockets;
import netkit.api.spi.protocol.IcmpError;
import netkit.api.spi.protocol.IpMeta;
import netkit.api.spi.support.PortTable;
import netkit.api.spi.protocol.ProtocolInstance;
import netkit.api.spi.protocol.ProtocolSocket;
import netkit.api.spi.protocol.Route;
import netkit.api.spi.protocol.SocketOptions;
import netkit.api.spi.protocol.StackContext;
import netkit.api.stats.CounterSet;
import netkit.api.stats.CounterSnapshot;
import netkit.api.stats.IcmpCounter;
import netkit.api.wire.Bytes;
import netkit.api.wire.Checksum;
import netkit.api.wire.Ipv4Options;
import netkit.api.wire.IcmpHeader;

/**
 * ICMP on one stack: validates every message the stack hands it, answers echo requests in place
 * (the request's buffer becomes the reply) and hands echo replies to the ICMP socket with their
 * identifier. ICMP socket identifiers are kept in a port table, like Linux ping sockets. Error
 * messages never arrive here: the stack's IP layer receives them and passes those quoting an echo
 * request to {@link #icmpError}.
 */
final class IcmpInstance implements ProtocolInstance {
    final StackContext ctx;
    final PortTable<DatagramSocketBase> ids;
    private final IcmpProtocol protocol;
    private final DatagramSockets<IcmpSocket> sockets;
    private final IcmpHeader header = new IcmpHeader();
    final CounterSet<IcmpCounter> counters = new CounterSet<>(IcmpCounter.class);
    private static final byte[] NO_OPTIONS = new byte[0];

    IcmpInstance(StackContext ctx, IcmpProtocol protocol) {
        this.ctx = ctx;
        this.sockets = new DatagramSockets<>(ctx);
        this.protocol = protocol;
        this.ids = new PortTable<>(ctx::isLocalAddress, ctx.secureRandom());
    }

    @Override
    public ProtocolSocket open(SocketOptions options) {
        return sockets.open(o -> new IcmpSocket(this, o), options);
    }

    void forget(IcmpSocket s) {
        sockets.forget(s);
    }

    @Override
    public void receive(PacketBuffer packet, IpMeta ip) {
        boolean handedOn = false;
        try {
            counters.inc(IcmpCounter.IN_MSGS);
            byte[] a = packet.array();
            int at = packet.offset();
            int len = packet.length();
            if (!header.wrap(a, at, len)) {
                counters.inc(IcmpCounter.IN_ERRORS);
                return;
            }
            if (!ip.checksumNotNeeded() && !Checksum.verifies(Checksum.add(0, a, at, len))) {
                counters.inc(IcmpCounter.IN_CSUM_ERRORS);
                counters.inc(IcmpCounter.IN_ERRORS);
                return;
            }
            switch (header.type()) {
                case IcmpHeader.ECHO_REQUEST -> handedOn = echo(packet, ip);
                case IcmpHeader.ECHO_REPLY -> echoReply(packet, ip);
                default -> {
                    // redirects and the rest are counted and ignored: a host keeps its own routes
                }
            }
        } finally {
            if (!handedOn) {
                packet.release();
            }
        }
    }

    /** RFC 792 echo: the reply reuses the request's buffer, with type 0 and a patched checksum. */
    private boolean echo(PacketBuffer packet, IpMeta ip) {
        counters.inc(IcmpCounter.IN_ECHOS);
        if (ip.broadcast() && !protocol.answerBroadcastEcho()) {
            return false;
        }
        byte[] a = packet.array();
        int at = packet.offset();
        // RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), m the word holding the type.
        int oldWord = Bytes.get16(a, at);
        a[at] = IcmpHeader.ECHO_REPLY;
        int newWord = Bytes.get16(a, at);
        long sum = (~Bytes.get16(a, at + 2) & 0xffff) + (~oldWord & 0xffff) + newWord;
        Bytes.put16(a, at + 2, Checksum.finish(sum));
        try {
            Route r = ctx.route(ip.source(), false);
            if (!ip.broadcast()) {
                // Reply from the address the request was sent to (RFC 1122 §3.2.2.6).
                r = new Route(r.destination(), r.nextHop(), ip.destination(), r.iface(), r.mtu(),
                        r.checksumNotNeeded(), r.broadcast());
            }
            ctx.output(packet, r, Net.IPPROTO_ICMP, 64, ip.tos(), false, recordRoute(packet.array(), ip));
            counters.inc(IcmpCounter.OUT_ECHO_REPS);
            return true;
        } catch (ErrnoException e) {
            return false; // no way back: drop
        }
    }

    /**
     * RFC 1122 §3.2.2.6: a Record Route received in an echo request goes back in the reply, where
     * this host's address is recorded again on the way out; the option padded to 4 bytes, or none.
     */
    private static byte[] recordRoute(byte[] a, IpMeta ip) {
        int rr = Ipv4Options.find(a, ip.headerOffset(), ip.headerLength(), Ipv4Options.RECORD_ROUTE);
        if (rr < 0) {
            return NO_OPTIONS;
        }
        int len = a[rr + 1] & 0xff;
        byte[] o = new byte[(len + 3) & ~3]; // the padding is End of Option List (0)
        System.arraycopy(a, rr, o, 0, len);
        return o;
    }

    /** The options of the received header, or null when it has none. */
    private static byte[] options(byte[] a, IpMeta ip) {
        int n = ip.headerLength() - 20;
        return n <= 0 ? null : java.util.Arrays.copyOfRange(a, ip.headerOffset() + 20, ip.headerOffset() + 20 + n);
    }

    private void echoReply(PacketBuffer packet, IpMeta ip) {
        counters.inc(IcmpCounter.IN_ECHO_REPS);
        DatagramSocketBase s = ids.lookup(ip.destination(), header.identifier());
        if (s != null && ((IcmpSocket) s).accepts(ip.source())) {
            if (s.offer(SockAddr.of(ip.source(), 0), ip.ttl(), options(packet.array(), ip), packet.array(),
                    packet.offset(), packet.length())) {
                ctx.readinessChanged();
            } else {
                counters.inc(IcmpCounter.IN_ERRORS);
            }
        }
    }

    /** An error quoting one of our echo requests: tell the ICMP socket with that identifier. */
    @Override
    public void icmpError(IcmpError e) {
        IcmpHeader quoted = new IcmpHeader();
        if (!quoted.wrap(e.quote(), e.quotedTransportOffset(), e.quotedTransportLength())
                || quoted.type() != IcmpHeader.ECHO_REQUEST) {
            return;
        }
        DatagramSocketBase s = ids.lookup(e.quotedSource(), quoted.identifier());
        if (s != null) {
            if (!((IcmpSocket) s).error(e)) {
                counters.inc(IcmpCounter.IN_ERRORS); // its receive buffer is full
            }
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
