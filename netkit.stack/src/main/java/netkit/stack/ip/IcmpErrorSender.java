package netkit.stack.ip;

import java.util.function.LongSupplier;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.buffer.PacketBuffer;
import netkit.api.buffer.PacketPool;
import netkit.api.spi.protocol.Route;
import netkit.api.stats.CounterSet;
import netkit.api.stats.IcmpCounter;
import netkit.api.wire.Bytes;
import netkit.api.wire.Checksum;
import netkit.api.wire.IcmpHeader;
import netkit.api.wire.Ipv4Packet;
import netkit.stack.route.RouteResolver;

/**
 * Emits ICMP error messages (RFC 792) about received datagrams, with the suppression rules of RFC
 * 1122 §3.2.2 and a token-bucket rate limit (RFC 1812 §4.3.2.8). ICMP is part of IP (RFC 792
 * introduction), so the IP layer owns error emission even when no ICMP protocol bundle is present.
 */
public final class IcmpErrorSender {
    /** RFC 1812 §4.3.2.3: quote as much as fits in a 576-byte datagram. */
    private static final int MAX_QUOTE = 576 - Ipv4Packet.MIN_HEADER_LEN - IcmpHeader.LEN;

    private final RouteResolver routes;
    private final Ipv4Output output;
    private final PacketPool pool;
    private final CounterSet<IcmpCounter> counters;
    private final LongSupplier clock;
    private volatile double ratePerSecond;
    private volatile double burst;
    private double tokens;
    private long lastRefill;
    private final Ipv4Packet view = new Ipv4Packet();

    /**
     * A sender that routes its messages with {@code routes} and sends them through {@code output} in
     * buffers from {@code pool}, reads time from {@code clock} (ns) and allows {@code ratePerSecond}
     * errors with bursts of {@code burst}.
     */
    public IcmpErrorSender(RouteResolver routes, Ipv4Output output, PacketPool pool,
            CounterSet<IcmpCounter> counters, LongSupplier clock, double ratePerSecond, int burst) {
        this.routes = routes;
        this.output = output;
        this.pool = pool;
        this.counters = counters;
        this.clock = clock;
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
     * Caller holds the stack lock.
     *
     * @param type          an {@link IcmpHeader} error type
     * @param code          an {@link IcmpHeader} code of that type
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
        PacketBuffer b = pool.acquire(IcmpHeader.LEN + quote);
        int at = b.append(IcmpHeader.LEN + quote);
        byte[] a = b.array();
        a[at] = (byte) type;
        a[at + 1] = (byte) code;
        Bytes.put16(a, at + 2, 0);
        Bytes.put32(a, at + 4, info);
        System.arraycopy(orig, off, a, at + IcmpHeader.LEN, quote);
        Bytes.put16(a, at + 2, Checksum.of(a, at, IcmpHeader.LEN + quote));
        counters.inc(type == IcmpHeader.TIME_EXCEEDED ? IcmpCounter.OUT_TIME_EXCDS
                : type == IcmpHeader.PARAMETER_PROBLEM ? IcmpCounter.OUT_PARM_PROBS : IcmpCounter.OUT_DEST_UNREACHS);
        int origDst = view.destination();
        transmit(b, routes.isLocalAddress(origDst) ? origDst : 0, view.source());
    }

    /** Sends a finished message to {@code destination} from {@code source} (0: the route's). */
    private void transmit(PacketBuffer msg, int source, int destination) {
        try {
            Route r = routes.lookup(destination, false);
            if (source != 0) {
                r = new Route(r.destination(), r.nextHop(), source, r.iface(), r.mtu(), r.checksumNotNeeded(),
                        r.broadcast());
            }
            output.send(msg, r, Net.IPPROTO_ICMP, 64, 0, false);
        } catch (ErrnoException e) {
            msg.release(); // no way back to the source: nothing to report to
        }
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
        if (isGroupOrLimited(dst) || routes.isBroadcast(dst)) {
            return false;
        }
        if (src == 0 || isGroupOrLimited(src) || routes.isBroadcast(src)
                || (src >>> 24) == 127 && !routes.isLocalAddress(dst)) {
            return false; // source must name a single host
        }
        if (view.protocol() == Net.IPPROTO_ICMP) {
            if (view.headerLength() >= len) {
                return false;
            }
            // Never answer an ICMP error (or an unknown type) with an error; queries are fine.
            return IcmpHeader.isQuery(orig[view.payloadOffset()] & 0xff);
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
