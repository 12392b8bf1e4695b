package netkit.stack.autoconf;

import java.util.HashMap;
import java.util.Map;
import netkit.api.Net;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.autoconf.AutoconfSupport.DatagramHandler;
import netkit.api.stats.CounterSet;
import netkit.api.stats.IpCounter;
import netkit.api.wire.Bytes;
import netkit.api.wire.Ipv4Packet;
import netkit.api.wire.UdpHeader;
import netkit.stack.iface.NetInterface;

/**
 * UDP ports bound to one interface for address autoconfiguration (a DHCP client's port 68): the
 * IPv4 input path asks {@link #claims} before its own-address check, so a reply unicast to an
 * address the interface does not have yet still reaches the client. Caller holds the stack lock.
 */
public final class BoundPorts {
    private record Key(String iface, int port) {
    }

    private final Map<Key, DatagramHandler> handlers = new HashMap<>();
    private final CounterSet<IpCounter> ipCounters;

    /** Ports counting datagrams they take as IP InDelivers in {@code ipCounters}. */
    public BoundPorts(CounterSet<IpCounter> ipCounters) {
        this.ipCounters = ipCounters;
    }

    /** Binds; false when the port is already bound on the interface. */
    boolean bind(String iface, int port, DatagramHandler h) {
        return handlers.putIfAbsent(new Key(iface, port), h) == null;
    }

    /** Unbinds {@code h} if it holds the port. */
    void unbind(String iface, int port, DatagramHandler h) {
        handlers.remove(new Key(iface, port), h);
    }

    /**
     * Whether a bound port on {@code iface} takes the datagram {@code ip} (a UDP datagram, not a
     * fragment, to a bound port; to a broadcast, the interface's address, or any unicast address
     * while the interface has none). {@code broadcast}: its destination is a broadcast address.
     */
    public boolean claims(NetInterface iface, PacketBuffer pkt, Ipv4Packet ip, boolean broadcast) {
        if (handlers.isEmpty() || ip.protocol() != Net.IPPROTO_UDP || ip.isFragment()
                || ip.payloadLength() < UdpHeader.LEN) {
            return false;
        }
        if (!broadcast && iface.address() != 0 && ip.destination() != iface.address()) {
            return false;
        }
        int dstPort = Bytes.get16(pkt.array(), ip.payloadOffset() + 2);
        return handlers.containsKey(new Key(iface.name(), dstPort));
    }

    /**
     * Delivers a datagram {@link #claims} accepted: checks its UDP length and checksum (counted as
     * IP InDiscards when bad), hands the payload to the port's handler. Takes ownership of {@code pkt}.
     */
    public void deliver(NetInterface iface, PacketBuffer pkt, Ipv4Packet ip, boolean checksumNotNeeded) {
        try {
            byte[] a = pkt.array();
            int at = ip.payloadOffset();
            int len = Bytes.get16(a, at + 4);
            if (len < UdpHeader.LEN || len > ip.payloadLength() || Bytes.get16(a, at + 6) != 0 && !checksumNotNeeded
                    && !UdpHeader.verify(a, at, len, ip.source(), ip.destination())) {
                ipCounters.inc(IpCounter.IN_DISCARDS);
                return;
            }
            DatagramHandler h = handlers.get(new Key(iface.name(), Bytes.get16(a, at + 2)));
            if (h == null) {
                return;
            }
            ipCounters.inc(IpCounter.IN_DELIVERS);
            h.datagram(ip.source(), Bytes.get16(a, at), ip.destination(), a, at + UdpHeader.LEN, len - UdpHeader.LEN);
        } finally {
            pkt.release();
        }
    }
}
