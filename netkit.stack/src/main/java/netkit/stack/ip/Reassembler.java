package netkit.stack.ip;

import java.util.Arrays;
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
 * identification), in any order, with a timeout per datagram (RFC 1122 §3.3.2). Used under the
 * stack lock.
 *
 * <p>Overlaps: a fragment overlapping one already received discards the whole datagram, as Linux
 * does since the FragmentSmack fixes (CVE-2018-5391) and RFC 5722 §4 requires for IPv6; a fragment
 * lying within a single received fragment is a duplicate (a retransmission) and is ignored, as in
 * Linux's {@code inet_frag_queue_insert}.
 *
 * <p>Memory: every incomplete datagram is charged the heap it holds (its arrays plus
 * {@link #DATAGRAM_OVERHEAD}); when a fragment would take the total past the high threshold, the
 * oldest datagrams are evicted until it fits under the low one (Linux {@code ipfrag_high_thresh} /
 * {@code ipfrag_low_thresh}). Memory is released as soon as a datagram completes, fails, expires or
 * is evicted: its timer refers to the key only.
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

    /** An incomplete datagram: its data, and the received fragments as disjoint sorted ranges. */
    private static final class Datagram {
        final long serial;
        byte[] data = NO_BYTES;
        /** start0, end0, start1, end1, ...: received fragments, disjoint, by start. */
        int[] ranges = NO_RANGES;
        int rangeCount;
        int received;
        byte[] header;
        /** Data bytes of fragment zero (quoted by ICMP time exceeded). */
        int firstLength;
        int total = -1;
        int charged;
        Timer timer;

        Datagram(long serial) {
            this.serial = serial;
        }

        /** Heap held: the arrays and the fixed bookkeeping. */
        int charge() {
            return DATAGRAM_OVERHEAD + arraySize(data.length) + arraySize(ranges.length * 4)
                    + (header == null ? 0 : arraySize(header.length));
        }
    }

    private static final byte[] NO_BYTES = new byte[0];
    private static final int[] NO_RANGES = new int[0];

    /** Largest payload of a datagram whose header is 20 bytes (RFC 791: total length ≤ 65535). */
    static final int MAX_PAYLOAD = Ipv4Packet.MAX_LEN - Ipv4Packet.MIN_HEADER_LEN;

    /**
     * Bytes charged per datagram besides its arrays: the datagram, key, map entry, timer entry and
     * task objects (Linux charges {@code sizeof(struct ipq)} plus each fragment's truesize).
     */
    public static final int DATAGRAM_OVERHEAD = 256;

    /** The most an ICMP error quotes: what fits in a 576-byte datagram (RFC 1812 §4.3.2.3). */
    private static final int MAX_ICMP_QUOTE = 576 - Ipv4Packet.MIN_HEADER_LEN - 8;

    /** Bytes charged for an array's object header. */
    static final int ARRAY_HEADER = 16;

    private final Map<Key, Datagram> pending = new LinkedHashMap<>();
    private final Port port;
    private final CounterSet<IpCounter> counters;
    private volatile long timeoutNanos;
    private volatile int highBytes;
    private volatile int lowBytes;
    private int heldBytes;
    private long serials;

    /**
     * A reassembler with a per-datagram timeout and memory thresholds.
     *
     * @param highBytes memory above which datagrams are evicted (Linux {@code ipfrag_high_thresh})
     * @param lowBytes memory eviction brings the total back under (Linux {@code ipfrag_low_thresh})
     */
    public Reassembler(Port port, CounterSet<IpCounter> ipCounters, long timeoutMillis, int highBytes,
            int lowBytes) {
        this.port = port;
        this.counters = ipCounters;
        settings(timeoutMillis, highBytes, lowBytes);
    }

    /** Changes the timeout and memory thresholds ({@code lowBytes} ≤ {@code highBytes}). */
    public void settings(long timeoutMillis, int highBytes, int lowBytes) {
        if (lowBytes < 0 || lowBytes > highBytes) {
            throw new IllegalArgumentException("reassembly low threshold " + lowBytes + " not in [0, " + highBytes
                    + "]");
        }
        this.timeoutNanos = timeoutMillis * 1_000_000L;
        this.highBytes = highBytes;
        this.lowBytes = lowBytes;
    }

    /** Heap charged to incomplete datagrams (arrays plus per-datagram overhead), in bytes. */
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
        boolean fresh = d == null;
        if (fresh) {
            d = new Datagram(++serials);
        }
        int lastEnd = d.rangeCount == 0 ? 0 : d.ranges[2 * d.rangeCount - 1];
        if (!more ? (d.total >= 0 && d.total != end) || lastEnd > end : d.total >= 0 && end > d.total) {
            // RFC 791: one end only, and no data beyond it.
            fail(key);
            return null;
        }
        int at = 0; // insertion index: the ranges starting at or before off
        if (len > 0) {
            at = rangesStartingBy(d, off);
            if (at > 0 && d.ranges[2 * at - 1] > off) {
                if (end <= d.ranges[2 * at - 1]) {
                    return null; // within a received fragment: a duplicate
                }
                overlap(key);
                return null;
            }
            if (at < d.rangeCount && d.ranges[2 * at] < end) {
                overlap(key);
                return null;
            }
        }
        if (!reserve(key, d, fresh, off, len, end, ip.headerLength())) {
            return null;
        }
        if (fresh) {
            pending.put(key, d);
            long serial = d.serial;
            d.timer = port.schedule(timeoutNanos, () -> expire(key, serial));
        }
        if (!more) {
            d.total = end;
        }
        byte[] src = frag.array();
        if (len > 0) {
            System.arraycopy(src, ip.payloadOffset(), d.data, off, len);
            System.arraycopy(d.ranges, 2 * at, d.ranges, 2 * at + 2, 2 * (d.rangeCount - at));
            d.ranges[2 * at] = off;
            d.ranges[2 * at + 1] = end;
            d.rangeCount++;
            d.received += len;
        }
        if (off == 0 && d.header == null) {
            d.header = new byte[ip.headerLength()];
            System.arraycopy(src, frag.offset(), d.header, 0, d.header.length);
            d.firstLength = len;
        }
        account(d);
        if (d.total < 0 || d.header == null || d.received < d.total) {
            return null;
        }
        return complete(key, d);
    }

    /** Number of received fragments of {@code d} starting at or before {@code off}. */
    private static int rangesStartingBy(Datagram d, int off) {
        int lo = 0;
        int hi = d.rangeCount;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (d.ranges[2 * mid] <= off) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Grows {@code d}'s arrays for a fragment, evicting other datagrams when the memory would pass
     * the high threshold; fails the datagram when it still does not fit.
     */
    private boolean reserve(Key key, Datagram d, boolean fresh, int off, int len, int end, int headerLength) {
        int dataLen = d.data.length;
        if (end > dataLen) {
            dataLen = Math.min(MAX_PAYLOAD, Math.max(roundUp(end), Math.min(MAX_PAYLOAD, dataLen * 2)));
        }
        int rangesLen = d.ranges.length;
        if (len > 0 && 2 * d.rangeCount + 2 > rangesLen) {
            rangesLen = Math.max(8, 2 * rangesLen);
        }
        int headerLen = d.header != null ? d.header.length : off == 0 ? headerLength : -1;
        int extra = DATAGRAM_OVERHEAD + arraySize(dataLen) + arraySize(rangesLen * 4)
                + (headerLen < 0 ? 0 : arraySize(headerLen)) - (fresh ? 0 : d.charged);
        if (extra > 0 && heldBytes + extra > highBytes) {
            evict(d, extra);
            if (heldBytes + extra > highBytes) {
                fail(key);
                return false;
            }
        }
        if (dataLen != d.data.length) {
            d.data = Arrays.copyOf(d.data, dataLen);
        }
        if (rangesLen != d.ranges.length) {
            d.ranges = Arrays.copyOf(d.ranges, rangesLen);
        }
        return true;
    }

    /** Evicts the oldest datagrams but {@code keep} until {@code extra} more bytes fit under the low threshold. */
    private void evict(Datagram keep, int extra) {
        for (Iterator<Datagram> it = pending.values().iterator(); heldBytes + extra > lowBytes && it.hasNext();) {
            Datagram oldest = it.next();
            if (oldest != keep) {
                it.remove();
                release(oldest);
                counters.inc(IpCounter.REASM_EVICTIONS);
                counters.inc(IpCounter.REASM_FAILS);
            }
        }
    }

    private void account(Datagram d) {
        int charge = d.charge();
        heldBytes += charge - d.charged;
        d.charged = charge;
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

    private void expire(Key key, long serial) {
        Datagram d = pending.get(key);
        if (d == null || d.serial != serial) {
            return;
        }
        remove(key, d);
        counters.inc(IpCounter.REASM_TIMEOUT);
        counters.inc(IpCounter.REASM_FAILS);
        if (d.header != null) {
            // RFC 1122 §3.3.2: time exceeded only when fragment zero has arrived.
            // RFC 792 asks for the header and 64 bits of data, RFC 1812 §4.3.2.3 for as much as fits
            // in 576 bytes: fragment zero as it arrived, as far as that reaches (as Linux quotes it)
            int quoted = Math.min(d.firstLength, Math.max(8, MAX_ICMP_QUOTE - d.header.length));
            byte[] q = new byte[d.header.length + quoted];
            System.arraycopy(d.header, 0, q, 0, d.header.length);
            System.arraycopy(d.data, 0, q, d.header.length, quoted);
            port.timedOut(q, q.length);
        }
    }

    private void overlap(Key key) {
        counters.inc(IpCounter.REASM_OVERLAPS);
        fail(key);
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
        heldBytes -= d.charged;
        d.charged = 0;
        if (d.timer != null) {
            d.timer.cancel();
        }
    }

    private static int arraySize(int bytes) {
        return ARRAY_HEADER + roundUp(bytes);
    }

    private static int roundUp(int n) {
        return (n + 7) & ~7;
    }
}
