package netkit.stack.ip;

import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.buffer.PacketBuffer;
import netkit.api.buffer.PacketPool;
import netkit.api.spi.protocol.Route;
import netkit.api.stats.CounterSet;
import netkit.api.stats.IpCounter;
import netkit.api.wire.Ipv4Packet;

/**
 * The IPv4 output path: header, fragmentation when the route MTU requires it (RFC 791 §2.3,
 * §3.2 "Fragmentation and reassembly"), then hand-off to the link layer. Used under the stack lock.
 */
public final class Ipv4Output {
    /** Where finished IP packets go. */
    public interface Port {
        /** Sends a complete IP packet along the route (ARP, loopback or local delivery). */
        void transmit(Route route, PacketBuffer ipPacket);
    }

    private final Port port;
    private final CounterSet<IpCounter> counters;
    private final PacketPool pool;
    private int nextId;

    /** An output path starting its identification counter at {@code firstId}. */
    public Ipv4Output(Port port, CounterSet<IpCounter> ipCounters, PacketPool pool, int firstId) {
        this.port = port;
        this.counters = ipCounters;
        this.pool = pool;
        this.nextId = firstId & 0xffff;
    }

    /**
     * Sends {@code payload} (offset at the transport header) as one or more IPv4 packets.
     *
     * @throws ErrnoException EMSGSIZE when the datagram exceeds 65535 bytes or needs fragmenting
     *                        with DF set
     */
    public void send(PacketBuffer payload, Route route, int protocol, int ttl, int tos, boolean dontFragment)
            throws ErrnoException {
        int payloadLen = payload.length();
        int total = Ipv4Packet.MIN_HEADER_LEN + payloadLen;
        counters.inc(IpCounter.OUT_REQUESTS);
        if (total > Ipv4Packet.MAX_LEN) {
            payload.release();
            counters.inc(IpCounter.OUT_DISCARDS);
            throw new ErrnoException(Errno.EMSGSIZE, total + " bytes exceed the IPv4 maximum of 65535");
        }
        int id = nextId;
        nextId = (nextId + 1) & 0xffff;
        int src = route.source();
        int dst = route.destination();
        if (total <= route.mtu()) {
            int at = payload.prepend(Ipv4Packet.MIN_HEADER_LEN);
            Ipv4Packet.emit(payload.array(), at, tos, total, id, dontFragment ? Ipv4Packet.FLAG_DF : 0, ttl, protocol,
                    src, dst);
            port.transmit(route, payload);
            return;
        }
        if (dontFragment) {
            payload.release();
            counters.inc(IpCounter.FRAG_FAILS);
            throw new ErrnoException(Errno.EMSGSIZE, total + " bytes with DF over MTU " + route.mtu());
        }
        fragment(payload, route, protocol, ttl, tos, id);
    }

    private void fragment(PacketBuffer payload, Route route, int protocol, int ttl, int tos, int id) {
        int maxData = (route.mtu() - Ipv4Packet.MIN_HEADER_LEN) & ~7; // offsets count 8-byte units
        byte[] src = payload.array();
        int base = payload.offset();
        int len = payload.length();
        for (int off = 0; off < len; off += maxData) {
            int n = Math.min(maxData, len - off);
            boolean last = off + n >= len;
            PacketBuffer frag = pool.acquire(n);
            frag.append(src, base + off, n);
            int at = frag.prepend(Ipv4Packet.MIN_HEADER_LEN);
            Ipv4Packet.emit(frag.array(), at, tos, Ipv4Packet.MIN_HEADER_LEN + n, id,
                    (last ? 0 : Ipv4Packet.FLAG_MF) | (off / 8), ttl, protocol, route.source(), route.destination());
            counters.inc(IpCounter.FRAG_CREATES);
            port.transmit(route, frag);
        }
        counters.inc(IpCounter.FRAG_OKS);
        payload.release();
    }
}
