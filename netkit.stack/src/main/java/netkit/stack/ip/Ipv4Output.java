package netkit.stack.ip;

import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.buffer.PacketBuffer;
import netkit.api.buffer.PacketPool;
import netkit.api.spi.protocol.Route;
import netkit.api.stats.CounterSet;
import netkit.api.stats.IpCounter;
import netkit.api.wire.Bytes;
import netkit.api.wire.Checksum;
import netkit.api.wire.Ipv4Options;
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

    private static final byte[] NO_OPTIONS = new byte[0];

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
        send(payload, route, protocol, ttl, tos, dontFragment, NO_OPTIONS);
    }

    /**
     * The same with IP {@code options} (a multiple of 4 bytes, at most 40) in the header; a Record
     * Route with room gets the source address. Only the first fragment carries them.
     *
     * @throws ErrnoException EINVAL for a bad options length; as {@link #send(PacketBuffer, Route,
     *                        int, int, int, boolean)}
     */
    public void send(PacketBuffer payload, Route route, int protocol, int ttl, int tos, boolean dontFragment,
            byte[] options) throws ErrnoException {
        if (options.length % 4 != 0 || options.length > 40) {
            payload.release();
            throw new ErrnoException(Errno.EINVAL, "IP options must be a multiple of 4 bytes, at most 40");
        }
        int hl = Ipv4Packet.MIN_HEADER_LEN + options.length;
        int payloadLen = payload.length();
        int total = hl + payloadLen;
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
            int at = payload.prepend(hl);
            Ipv4Packet.emit(payload.array(), at, tos, total, id, dontFragment ? Ipv4Packet.FLAG_DF : 0, ttl, protocol,
                    src, dst);
            withOptions(payload.array(), at, options, src);
            payload.checksumOffloaded(route.checksumNotNeeded());
            port.transmit(route, payload);
            return;
        }
        if (dontFragment) {
            payload.release();
            counters.inc(IpCounter.FRAG_FAILS);
            throw new ErrnoException(Errno.EMSGSIZE, total + " bytes with DF over MTU " + route.mtu());
        }
        fragment(payload, route, protocol, ttl, tos, id, options);
    }

    /** Puts {@code options} after the 20-byte header at {@code at}, records {@code self}, fixes IHL and checksum. */
    private static void withOptions(byte[] a, int at, byte[] options, int self) {
        if (options.length == 0) {
            return;
        }
        int hl = Ipv4Packet.MIN_HEADER_LEN + options.length;
        a[at] = (byte) (0x40 | hl / 4);
        System.arraycopy(options, 0, a, at + Ipv4Packet.MIN_HEADER_LEN, options.length);
        int rr = Ipv4Options.find(a, at, hl, Ipv4Options.RECORD_ROUTE);
        if (rr >= 0) {
            Ipv4Options.record(a, rr, self); // Linux ip_options_build: the sender records itself
        }
        Bytes.put16(a, at + 10, 0);
        Bytes.put16(a, at + 10, Checksum.of(a, at, hl));
    }

    private void fragment(PacketBuffer payload, Route route, int protocol, int ttl, int tos, int id, byte[] options) {
        byte[] src = payload.array();
        int base = payload.offset();
        int len = payload.length();
        for (int off = 0; off < len;) {
            byte[] opts = off == 0 ? options : NO_OPTIONS; // RFC 791: Record Route is not copied
            int hl = Ipv4Packet.MIN_HEADER_LEN + opts.length;
            int maxData = (route.mtu() - hl) & ~7; // offsets count 8-byte units
            int n = Math.min(maxData, len - off);
            boolean last = off + n >= len;
            PacketBuffer frag = pool.acquire(n);
            frag.append(src, base + off, n);
            int at = frag.prepend(hl);
            Ipv4Packet.emit(frag.array(), at, tos, hl + n, id,
                    (last ? 0 : Ipv4Packet.FLAG_MF) | (off / 8), ttl, protocol, route.source(), route.destination());
            withOptions(frag.array(), at, opts, route.source());
            frag.checksumOffloaded(route.checksumNotNeeded());
            counters.inc(IpCounter.FRAG_CREATES);
            port.transmit(route, frag);
            off += n;
        }
        counters.inc(IpCounter.FRAG_OKS);
        payload.release();
    }
}
