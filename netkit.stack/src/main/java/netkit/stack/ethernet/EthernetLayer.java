package netkit.stack.ethernet;

import netkit.api.buffer.PacketBuffer;
import netkit.api.buffer.PacketPool;
import netkit.api.spi.link.Link;
import netkit.api.spi.protocol.Route;
import netkit.api.stats.ArpCounter;
import netkit.api.stats.CounterSet;
import netkit.api.time.Timer;
import netkit.api.wire.ArpPacket;
import netkit.api.wire.EthernetFrame;
import netkit.api.wire.MacAddress;
import netkit.stack.arp.ArpCache;
import netkit.stack.arp.ArpSettings;
import netkit.stack.iface.InterfaceLookup;
import netkit.stack.iface.NetInterface;
import netkit.stack.ip.IcmpErrorReceiver;
import netkit.stack.route.RouteResolver;
import netkit.stack.util.StackLoop;

/**
 * The link layer between the interfaces and IPv4: demultiplexes received frames by EtherType
 * (IPv4 to the IP layer, ARP to the {@link ArpCache}; loopback links carry bare IP packets), and
 * frames outgoing IP packets, resolving the next hop's MAC through ARP (RFC 826) or sending
 * broadcasts to the broadcast MAC. Caller holds the stack lock.
 */
public final class EthernetLayer {
    /** Where received IP packets go. */
    @FunctionalInterface
    public interface IpReceiver {
        /**
         * An IP packet (offset at the IP header) received on {@code iface}; takes ownership.
         *
         * @param linkBroadcast     it came in a link-layer broadcast frame
         * @param checksumNotNeeded it came over a loopback-class link from a sender that offloaded its
         *                          checksums there too
         */
        void input(NetInterface iface, PacketBuffer ipPacket, boolean linkBroadcast, boolean checksumNotNeeded);
    }

    private final InterfaceLookup interfaces;
    private final RouteResolver routes;
    private final IpReceiver ip;
    private final IcmpErrorReceiver icmpErrors;
    private final StackLoop loop;
    private final PacketPool pool;
    private final CounterSet<ArpCounter> arpCounters;
    private final ArpCache arp;
    private final EthernetFrame ethView = new EthernetFrame();
    private final ArpPacket arpView = new ArpPacket();

    /**
     * A link layer over {@code interfaces} handing IP packets to {@code ip}, telling
     * {@code icmpErrors} of datagrams whose next hop did not resolve, with an ARP cache of
     * {@code arpSettings} counting into {@code arpCounters}.
     */
    public EthernetLayer(InterfaceLookup interfaces, RouteResolver routes, IpReceiver ip,
            IcmpErrorReceiver icmpErrors, StackLoop loop, PacketPool pool, CounterSet<ArpCounter> arpCounters,
            ArpSettings arpSettings) {
        this.interfaces = interfaces;
        this.routes = routes;
        this.ip = ip;
        this.icmpErrors = icmpErrors;
        this.loop = loop;
        this.pool = pool;
        this.arpCounters = arpCounters;
        this.arp = new ArpCache(new ArpPort(), arpCounters, arpSettings);
    }

    /** The ARP cache (neighbour table) of this layer. */
    public ArpCache arp() {
        return arp;
    }

    /** Announces {@code iface}'s address with a gratuitous ARP if it runs on an Ethernet link. */
    public void announce(NetInterface iface) {
        if (iface.running() && iface.link().kind() == Link.Kind.ETHERNET) {
            arp.announce(iface);
        }
    }

    /** A frame received by {@code link} of {@code iface}; takes ownership. */
    public void input(NetInterface iface, Link link, PacketBuffer frame) {
        assert loop.lock().isHeldByCurrentThread();
        if (interfaces.get(iface.name()) != iface || !iface.up() || link == null) {
            iface.countRxDrop();
            frame.release();
            return;
        }
        iface.countRx(frame.length());
        // Checksums are skipped only when both ends offload them: this link says it cannot corrupt,
        // and the sender left them out for its own offloading link (veth's CHECKSUM_PARTIAL). A frame
        // whose sender's link was impaired with corruption carries checksums, and they are verified.
        boolean checksumNotNeeded = link.checksumNotNeeded() && frame.checksumOffloaded();
        if (link.kind() == Link.Kind.LOOPBACK) {
            ip.input(iface, frame, false, checksumNotNeeded);
            return;
        }
        if (!ethView.wrap(frame.array(), frame.offset(), frame.length())) {
            iface.countRxError();
            frame.release();
            return;
        }
        long dst = ethView.destination();
        boolean broadcast = dst == MacAddress.BROADCAST;
        if (!broadcast && dst != link.mac()) {
            iface.countRxDrop(); // not for us (multicast is not joined)
            frame.release();
            return;
        }
        int type = ethView.etherType();
        frame.consume(EthernetFrame.HEADER_LEN);
        if (type == EthernetFrame.TYPE_IPV4) {
            ip.input(iface, frame, broadcast, checksumNotNeeded);
        } else if (type == EthernetFrame.TYPE_ARP) {
            if (arpView.wrap(frame.array(), frame.offset(), frame.length())) {
                arp.input(iface, arpView);
            } else {
                arpCounters.inc(ArpCounter.IN_ERRORS);
                iface.countRxError();
            }
            frame.release();
        } else {
            iface.countRxDrop();
            frame.release();
        }
    }

    /** Sends a finished IP packet along its route; takes ownership. */
    public void transmit(Route route, PacketBuffer ipPacket) {
        assert loop.lock().isHeldByCurrentThread();
        NetInterface iface = interfaces.get(route.iface());
        Link link = iface == null ? null : iface.link();
        if (link == null || !iface.up()) {
            if (iface != null) {
                iface.countTxDrop(); // no link right now (driver gone or being swapped): like a lost frame
            }
            ipPacket.release();
            return;
        }
        if (link.kind() == Link.Kind.LOOPBACK) {
            send(iface, link, ipPacket);
        } else if (route.destination() != route.nextHop() || !routes.isLocalAddress(route.destination())) {
            if (route.broadcast()) {
                transmitEthernet(iface, MacAddress.BROADCAST, ipPacket);
            } else {
                arp.send(iface, route.nextHop(), ipPacket);
            }
        } else {
            // Own address on a link without loopback: deliver in-stack as if received.
            loop.execute(() -> ip.input(iface, ipPacket, false, true));
        }
    }

    private void transmitEthernet(NetInterface iface, long dstMac, PacketBuffer ipPacket) {
        Link link = iface.link();
        if (link == null) {
            iface.countTxDrop();
            ipPacket.release();
            return;
        }
        int at = ipPacket.prepend(EthernetFrame.HEADER_LEN);
        EthernetFrame.emit(ipPacket.array(), at, dstMac, link.mac(), EthernetFrame.TYPE_IPV4);
        send(iface, link, ipPacket);
    }

    private static void send(NetInterface iface, Link link, PacketBuffer frame) {
        iface.tap(frame, true);
        int len = frame.length();
        if (link.transmit(frame)) {
            iface.countTx(len);
        } else {
            iface.countTxError();
        }
    }

    /** What the ARP cache needs from this layer: time, timers and frames. */
    private final class ArpPort implements ArpCache.Port {
        @Override
        public long nanoTime() {
            return loop.nanoTime();
        }

        @Override
        public Timer schedule(long delayNanos, Runnable task) {
            return loop.schedule(delayNanos, task);
        }

        @Override
        public void sendArp(NetInterface iface, long dstMac, int op, int senderIp, long targetMac, int targetIp) {
            Link link = iface.link();
            if (link == null) {
                iface.countTxDrop();
                return;
            }
            PacketBuffer b = pool.acquire(EthernetFrame.HEADER_LEN + ArpPacket.LEN);
            int at = b.append(EthernetFrame.HEADER_LEN + ArpPacket.LEN);
            EthernetFrame.emit(b.array(), at, dstMac, link.mac(), EthernetFrame.TYPE_ARP);
            ArpPacket.emit(b.array(), at + EthernetFrame.HEADER_LEN, op, link.mac(), senderIp, targetMac, targetIp);
            send(iface, link, b);
        }

        @Override
        public void transmitIp(NetInterface iface, long dstMac, PacketBuffer ipPacket) {
            transmitEthernet(iface, dstMac, ipPacket);
        }

        @Override
        public void unresolved(NetInterface iface, PacketBuffer ipPacket) {
            byte[] datagram = ipPacket.toByteArray();
            ipPacket.release();
            icmpErrors.hostUnreachable(datagram, iface.address());
        }

        @Override
        public boolean impossibleSender(NetInterface iface, int ip) {
            return routes.isMartianSource(iface, ip, iface.address());
        }
    }
}
