package netkit.stack.ip;

import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import netkit.api.buffer.PacketBuffer;
import netkit.api.stats.CounterSet;
import netkit.api.stats.IpCounter;
import netkit.api.time.Timer;
import netkit.api.wire.Bytes;
import netkit.api.wire.Checksum;
import netkit.api.wire.IcmpHeader;
import netkit.api.wire.Ipv4Packet;
import netkit.stack.util.StackLoop;

/**
 * IPv4 reassembly (RFC 791 §3.2, RFC 815): fragments keyed by (source, destination, protocol,
 * identification), in any order, overlaps resolved first-come (the earlier bytes are kept), with a
 * timeout per datagram (RFC 1122 §3.3.2) and a bound on the bytes held by all datagrams together
 * (oldest dropped first). Used under the stack lock.
 */
public final class Reassembler {
    /** What the reassembler needs from the stack. */
    public interface Port {
        /** Runs {@code task} later under the stack lock. */
        Timer schedule(long delayNanos, Runnable task);

        /**
         * A datagram timed out with its first fragment present: send ICMP time exceeded code 1
         * (RFC 792) quoting {@code firstFragment} (IP header and the start of the data).
         */
        void timedOut(byte[] firstFragment, int length);

        /** The stack's port: timers on {@code loop}, ICMP time exceeded sent through {@code icmp}. */
        static Port of(StackLoop loop, IcmpErrorSender icmp) {
            return new Port() {
                @Override
                public Timer schedule(long delayNanos, Runnable task) {
                    return loop.schedule(delayNanos, task);
                }

                @Override
                public void timedOut(byte[] firstFragment, int length) {
                    icmp.send(IcmpHeader.TIME_EXCEEDED, IcmpHeader.CODE_REASSEMBLY_TIME_EXCEEDED, 0, firstFragment, 0,
                            length, false);
                }
            };
        }
    }

    private record Key(int src, int dst, int protocol, int id) {
    }

    private static final class Datagram {
        byte[] data = new byte[0];
        final BitSet blocks = new BitSet();
        byte[] header;
        int total = -1;
        Timer timer;
    }

    /** Largest payload of a datagram whose header is 20 bytes (RFC 791: total length ≤ 65535). */
    static final int MAX_PAYLOAD = Ipv4Packet.MAX_LEN - Ipv4Packet.MIN_HEADER_LEN;

    private final Map<Key, Datagram> pending = new LinkedHashMap<>();
    private final Port port;
    private final CounterSet<IpCounter> counters;
    private volatile long timeoutNanos;
    private volatile int maxBytes;
    private int heldBytes;

    /** A reassembler with a per-datagram timeout and a bound on bytes held. */
    public Reassembler(Port port, CounterSet<IpCounter> ipCounters, long timeoutMillis, int maxBytes) {
        this.port = port;
        this.counters = ipCounters;
        settings(timeoutMillis, maxBytes);
    }

    /** Changes the timeout and memory bound. */
    public void settings(long timeoutMillis, int maxHeldBytes) {
        this.timeoutNanos = timeoutMillis * 1_000_000L;
        this.maxBytes = maxHeldBytes;
    }

    /** Bytes held by incomplete datagrams. */
    public int heldBytes() {
        return heldBytes;
    }

    /** Incomplete datagrams. */
    public int pendingCount() {
        return pending.size();
    }

    /**
     * Adds a fragment (the view is on {@code frag}'s IP header, already validated). Takes ownership
     * of {@code frag}.
     *
     * @return the whole datagram positioned at its IP header, or null while incomplete
     */
    public PacketBuffer add(Ipv4Packet ip, PacketBuffer frag) {
        counters.inc(IpCounter.REASM_REQDS);
        try {
            return addFragment(ip, frag);
        } finally {
            frag.release();
        }
    }

    private PacketBuffer addFragment(Ipv4Packet ip, PacketBuffer frag) {
        int off = ip.fragmentOffset();
        int len = ip.payloadLength();
        int end = off + len;
        boolean more = ip.moreFragments();
        Key key = new Key(ip.source(), ip.destination(), ip.protocol(), ip.identification());
        if ((more && (len == 0 || len % 8 != 0)) || end > MAX_PAYLOAD) {
            // RFC 791: all but the last fragment carry a multiple of 8 bytes; nothing beyond 65535.
            fail(key);
            return null;
        }
        Datagram d = pending.get(key);
        if (d == null) {
            d = new Datagram();
            pending.put(key, d);
            Datagram created = d;
            d.timer = port.schedule(timeoutNanos, () -> expire(key, created));
        }
        if (!more) {
            if ((d.total >= 0 && d.total != end) || d.blocks.length() * 8 > roundUp(end)) {
                fail(key);
                return null;
            }
            d.total = end;
        } else if (d.total >= 0 && end > d.total) {
            fail(key);
            return null;
        }
        if (end > d.data.length && !grow(key, d, end)) {
            fail(key);
            return null;
        }
        byte[] src = frag.array();
        int payloadAt = ip.payloadOffset();
        for (int block = off / 8; block * 8 < end; block++) {
            if (!d.blocks.get(block)) {
                int from = block * 8;
                int n = Math.min(8, end - from);
                System.arraycopy(src, payloadAt + (from - off), d.data, from, n);
                d.blocks.set(block);
            }
        }
        if (off == 0 && d.header == null) {
            int hl = ip.headerLength();
            d.header = new byte[hl];
            System.arraycopy(src, frag.offset(), d.header, 0, hl);
        }
        if (d.total < 0 || d.header == null || d.blocks.nextClearBit(0) * 8 < d.total) {
            return null;
        }
        return complete(key, d);
    }

    private PacketBuffer complete(Key key, Datagram d) {
        remove(key, d);
        int hl = d.header.length;
        if (hl + d.total > Ipv4Packet.MAX_LEN) {
            counters.inc(IpCounter.REASM_FAILS);
            return null;
        }
        PacketBuffer out = PacketBuffer.allocate(PacketBuffer.DEFAULT_HEADROOM, hl + d.total);
        out.append(d.header, 0, hl);
        out.append(d.data, 0, d.total);
        byte[] a = out.array();
        int at = out.offset();
        Bytes.put16(a, at + 2, hl + d.total);
        Bytes.put16(a, at + 6, Bytes.get16(a, at + 6) & Ipv4Packet.FLAG_DF);
        Bytes.put16(a, at + 10, 0);
        Bytes.put16(a, at + 10, Checksum.of(a, at, hl));
        counters.inc(IpCounter.REASM_OKS);
        return out;
    }

    private boolean grow(Key key, Datagram d, int end) {
        int newLen = Math.min(MAX_PAYLOAD, Math.max(roundUp(end), Math.min(MAX_PAYLOAD, d.data.length * 2)));
        int extra = newLen - d.data.length;
        // Memory bound: drop the oldest other datagrams until this one fits.
        for (Iterator<Map.Entry<Key, Datagram>> it = pending.entrySet().iterator();
                heldBytes + extra > maxBytes && it.hasNext();) {
            Map.Entry<Key, Datagram> oldest = it.next();
            if (oldest.getValue() != d) {
                it.remove();
                release(oldest.getValue());
                counters.inc(IpCounter.REASM_FAILS);
            }
        }
        if (heldBytes + extra > maxBytes) {
            return false;
        }
        d.data = java.util.Arrays.copyOf(d.data, newLen);
        heldBytes += extra;
        return true;
    }

    private void expire(Key key, Datagram d) {
        if (pending.get(key) != d) {
            return;
        }
        remove(key, d);
        counters.inc(IpCounter.REASM_TIMEOUT);
        counters.inc(IpCounter.REASM_FAILS);
        if (d.header != null && d.blocks.get(0)) {
            // RFC 1122 §3.3.2: time exceeded only when fragment zero has arrived.
            int quoted = Math.min(8, d.data.length); // RFC 792: header + first 64 bits
            byte[] q = new byte[d.header.length + quoted];
            System.arraycopy(d.header, 0, q, 0, d.header.length);
            System.arraycopy(d.data, 0, q, d.header.length, quoted);
            port.timedOut(q, q.length);
        }
    }

    private void fail(Key key) {
        counters.inc(IpCounter.REASM_FAILS);
        Datagram d = pending.get(key);
        if (d != null) {
            remove(key, d);
        }
    }

    private void remove(Key key, Datagram d) {
        pending.remove(key);
        release(d);
    }

    private void release(Datagram d) {
        heldBytes -= d.data.length;
        if (d.timer != null) {
            d.timer.cancel();
        }
    }

    private static int roundUp(int n) {
        return (n + 7) & ~7;
    }
}
