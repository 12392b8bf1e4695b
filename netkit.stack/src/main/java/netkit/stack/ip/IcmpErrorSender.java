package netkit.stack.ip;

import netkit.api.Net;
import netkit.api.buffer.PacketBuffer;
import netkit.api.buffer.PacketPool;
import netkit.api.stats.CounterSet;
import netkit.api.stats.IcmpCounter;
import netkit.api.wire.Bytes;
import netkit.api.wire.Checksum;
import netkit.api.wire.Ipv4Packet;

/**
 * Emits ICMP error messages (RFC 792) about received datagrams, with the suppression rules of RFC
 * 1122 §3.2.2 and a token-bucket rate limit (RFC 1812 §4.3.2.8). ICMP is part of IP (RFC 792
 * introduction), so the IP layer owns error emission even when no ICMP protocol bundle is present.
 */
public final class IcmpErrorSender {
    /** Destination unreachable. */
    public static final int DEST_UNREACHABLE = 3;
    /** Time exceeded. */
    public static final int TIME_EXCEEDED = 11;
    /** Codes of destination unreachable. */
    public static final int NET_UNREACHABLE = 0;
    /** Host unreachable. */
    public static final int HOST_UNREACHABLE = 1;
    /** Protocol unreachable. */
    public static final int PROTOCOL_UNREACHABLE = 2;
    /** Port unreachable. */
    public static final int PORT_UNREACHABLE = 3;
    /** Fragmentation needed and DF set. */
    public static final int FRAGMENTATION_NEEDED = 4;
    /** Time exceeded code: fragment reassembly time exceeded. */
    public static final int REASSEMBLY_TIME_EXCEEDED = 1;

    /** RFC 1812 §4.3.2.3: quote as much as fits in a 576-byte datagram. */
    private static final int MAX_QUOTE = 576 - 20 - 8;

    /** Sends a finished ICMP message to {@code destination} from {@code source} (0: route's). */
    public interface Output {
        /** Sends. */
        void send(PacketBuffer icmp, int source, int destination);
    }

    private final Output output;
    private final PacketPool pool;
    private final CounterSet<IcmpCounter> counters;
    private final java.util.function.LongSupplier clock;
    private final java.util.function.IntPredicate broadcast;
    private final java.util.function.IntPredicate local;
    private volatile double ratePerSecond;
    private volatile double burst;
    private double tokens;
    private long lastRefill;
    private final Ipv4Packet view = new Ipv4Packet();

    /**
     * A sender that takes its buffers from {@code pool}, checks addresses with
     * {@code broadcast}/{@code local}, reads time from {@code clock} (ns) and allows
     * {@code ratePerSecond} errors with bursts of {@code burst}.
     */
    public IcmpErrorSender(Output output, PacketPool pool, CounterSet<IcmpCounter> counters,
            java.util.function.LongSupplier clock, java.util.function.IntPredicate broadcast,
            java.util.function.IntPredicate local, double ratePerSecond, int burst) {
        this.output = output;
        this.pool = pool;
        this.counters = counters;
        this.clock = clock;
        this.broadcast = broadcast;
        this.local = local;
        rate(ratePerSecond, burst);
        this.tokens = burst;
        this.lastRefill = clock.getAsLong();
    }

    /** Changes the rate limit. */
    public void rate(double perSecond, int burstSize) {
        this.ratePerSecond = perSecond;
        this.burst = burstSize;
    }

    /**
     * Sends an error about the datagram at {@code orig[off..off+len)} (starting with its IP header).
     *
     * @param linkBroadcast the datagram came in a link-layer broadcast frame
     * @param info          the 32-bit field after the checksum (next-hop MTU for code 4), else 0
     */
    public void send(int type, int code, int info, byte[] orig, int off, int len, boolean linkBroadcast) {
        if (!mayAnswer(orig, off, len, linkBroadcast)) {
            counters.inc(IcmpCounter.OUT_SUPPRESSED);
            return;
        }
        if (!takeToken()) {
            counters.inc(IcmpCounter.OUT_RATE_LIMITED);
            return;
        }
        int quote = Math.min(len, MAX_QUOTE);
        PacketBuffer b = pool.acquire(8 + quote);
        int at = b.append(8 + quote);
        byte[] a = b.array();
        a[at] = (byte) type;
        a[at + 1] = (byte) code;
        Bytes.put16(a, at + 2, 0);
        Bytes.put32(a, at + 4, info);
        System.arraycopy(orig, off, a, at + 8, quote);
        Bytes.put16(a, at + 2, Checksum.of(a, at, 8 + quote));
        counters.inc(type == TIME_EXCEEDED ? IcmpCounter.OUT_TIME_EXCDS : IcmpCounter.OUT_DEST_UNREACHS);
        int origDst = view.destination();
        output.send(b, local.test(origDst) ? origDst : 0, view.source());
    }

    /** RFC 1122 §3.2.2: the cases in which an ICMP error MUST NOT be sent. */
    private boolean mayAnswer(byte[] orig, int off, int len, boolean linkBroadcast) {
        view.wrap(orig, off, len);
        if (len < Ipv4Packet.MIN_HEADER_LEN || view.headerLength() < Ipv4Packet.MIN_HEADER_LEN
                || view.headerLength() > len || linkBroadcast) {
            return false;
        }
        if (view.fragmentOffset() != 0) {
            return false; // not the first fragment
        }
        int src = view.source();
        int dst = view.destination();
        if (isGroupOrLimited(dst) || broadcast.test(dst)) {
            return false;
        }
        if (src == 0 || isGroupOrLimited(src) || broadcast.test(src) || (src >>> 24) == 127 && !local.test(dst)) {
            return false; // source must name a single host
        }
        if (view.protocol() == Net.IPPROTO_ICMP) {
            int icmpAt = off + view.headerLength();
            if (icmpAt >= off + len) {
                return false;
            }
            int t = orig[icmpAt] & 0xff;
            // Never answer an ICMP error (or an unknown type) with an error; queries are fine.
            return t == 0 || t == 8 || t == 13 || t == 14 || t == 15 || t == 16 || t == 17 || t == 18;
        }
        return true;
    }

    private static boolean isGroupOrLimited(int a) {
        return a == -1 || (a >>> 28) == 0xe || (a >>> 28) == 0xf;
    }

    private synchronized boolean takeToken() {
        long now = clock.getAsLong();
        tokens = Math.min(burst, tokens + (now - lastRefill) / 1e9 * ratePerSecond);
        lastRefill = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
