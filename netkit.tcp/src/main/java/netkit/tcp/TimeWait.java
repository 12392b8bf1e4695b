package netkit.tcp;

import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.protocol.Route;
import netkit.api.stats.TcpCounter;
import netkit.api.wire.TcpHeader;
import netkit.api.wire.TcpOptions;

/**
 * A closed connection in TIME_WAIT, reduced to what it still has to answer (Linux's
 * {@code tcp_timewait_sock}): the 4-tuple, SND.NXT past our FIN, RCV.NXT past the peer's, the
 * receive window, the timestamps and the expiry, about a tenth of the control block and buffers it
 * replaces. Its segments are handled as RFC 9293 §3.10.7.4 says for TIME-WAIT: a retransmitted FIN
 * is acknowledged again and restarts 2·MSL; an RST is ignored (RFC 1337); a SYN is either a new
 * incarnation (RFC 6191, checked by {@link TcpInstance} before this sees it) or answered with a
 * challenge ACK (RFC 5961 §4.2); anything else unacceptable gets a duplicate ACK, rate-limited like a
 * connection's. Kept by {@link TimeWaits}. Stack lock held throughout.
 */
final class TimeWait {
    final ConnectionKey key;
    /** Our SND.NXT (= SND.UNA: our FIN was acknowledged), extended. */
    final long sndNxt;
    /** RCV.NXT, past the peer's FIN, extended. */
    final long rcvNxt;
    /** RCV.WND: the window last offered, in bytes, for the acceptability test. */
    private int rcvWnd;
    /** The window our ACKs offer, in bytes before scaling. */
    private final int ackWindow;
    private final byte rcvWscale;
    private final byte ttl;
    private final byte tos;
    final boolean tsOk;
    private final int tsOffset;
    private final int maxSndWnd;
    int tsRecent;
    /** Loop time at which {@link #tsRecent} was last taken (RFC 6191 reuse waits a second after it). */
    long tsRecentAt;
    long expiresAt;
    private long lastInvalidAckAt = Long.MIN_VALUE;
    private long challengeWindowStart;
    private int challengesInWindow;
    /** Neighbours in the expiry order of {@link TimeWaits}. */
    TimeWait older;
    TimeWait newer;

    /** The record of {@code c}, which has just entered TIME_WAIT and acknowledged the peer's FIN. */
    TimeWait(TcpConnection c) {
        key = c.key;
        sndNxt = c.sndMax;
        rcvNxt = c.rcvNxt;
        rcvWnd = (int) Math.min(Integer.MAX_VALUE, c.rcvAdvEdge - c.rcvNxt);
        ackWindow = (int) TcpSender.windowFor(c);
        rcvWscale = (byte) c.rcvWscale;
        ttl = (byte) c.options.ttl();
        tos = (byte) c.options.tos();
        tsOk = c.tsOk;
        tsOffset = c.tsOffset;
        maxSndWnd = (int) Math.min(Integer.MAX_VALUE, c.maxSndWnd);
        tsRecent = c.tsRecent;
        tsRecentAt = c.now();
        expiresAt = c.timeWaitAt;
    }

    /**
     * Whether SYN {@code h} opens a new incarnation of this 4-tuple (RFC 6191 §2): its sequence
     * number lies above RCV.NXT, or its timestamp is newer than the last one seen.
     */
    boolean newIncarnation(TcpHeader h, TcpOptions o) {
        long seq = rcvNxt + (int) (h.seq() - (int) rcvNxt);
        return seq > rcvNxt || tsOk && o.hasTimestamps && o.tsVal - tsRecent > 0;
    }

    /**
     * Whether a new outgoing connection may take this 4-tuple over now (RFC 6191 with our own
     * timestamps; Linux {@code tcp_tw_reuse}): timestamps were on, so PAWS tells the new
     * incarnation's segments from the old one's, and a second has passed since the peer's last
     * timestamp, so ours are newer than any it has seen.
     */
    boolean reusable(long nowNanos) {
        return tsOk && nowNanos - tsRecentAt >= 1_000_000_000L;
    }

    /** The ISS for the connection that takes this 4-tuple over: above anything sent before (as Linux). */
    long successorIss() {
        return (sndNxt + 65535 + 2) & 0xffffffffL;
    }

    /** A segment for this 4-tuple, past the RFC 6191 check: RFC 9293 §3.10.7.4 for TIME-WAIT. */
    void segmentArrives(TcpInstance tcp, TimeWaits table, TcpHeader h, TcpOptions o) {
        int flags = h.flags();
        boolean rst = (flags & TcpHeader.RST) != 0;
        boolean syn = (flags & TcpHeader.SYN) != 0;
        boolean fin = (flags & TcpHeader.FIN) != 0;
        long seq = rcvNxt + (int) (h.seq() - (int) rcvNxt);
        int len = h.dataLength();
        long segLen = len + (syn ? 1 : 0) + (fin ? 1 : 0);
        long now = tcp.ctx.loop().nanoTime();
        if (tsOk && o.hasTimestamps && !rst && o.tsVal - tsRecent < 0) { // PAWS (RFC 7323 §5.3)
            tcp.count(TcpCounter.PAWS_REJECTED);
            if (!invalidAckLimited(tcp, now, segLen, syn, TcpCounter.ACK_SKIPPED_PAWS)) {
                sendAck(tcp, now);
            }
            return;
        }
        long wnd = rcvWnd;
        boolean acceptable = segLen == 0 ? (wnd == 0 ? seq == rcvNxt : seq >= rcvNxt && seq <= rcvNxt + wnd)
                : wnd > 0 && (seq >= rcvNxt && seq < rcvNxt + wnd
                        || seq + segLen - 1 >= rcvNxt && seq + segLen - 1 < rcvNxt + wnd);
        if (!acceptable && wnd == 0 && seq == rcvNxt) {
            acceptable = true; // a zero window still takes ACKs and RSTs; the probe is answered
            fin = false;
            if (!rst) {
                sendAck(tcp, now);
            }
        }
        if (!acceptable) {
            if (fin && seq + segLen == rcvNxt) {
                table.restart(this, now); // the peer's FIN again: our ACK was lost (§3.10.7.4)
            }
            if (!rst && !invalidAckLimited(tcp, now, segLen, syn, TcpCounter.ACK_SKIPPED_SEQ)) {
                sendAck(tcp, now);
            }
            return;
        }
        if (seq + len > rcvNxt + wnd) {
            fin = false;
        }
        if (rst) {
            if (seq != rcvNxt) {
                challengeAck(tcp, now); // RFC 5961 §3.2
            }
            return; // RFC 1337: an RST at RCV.NXT does not end TIME_WAIT either
        }
        if (tsOk && o.hasTimestamps && o.tsVal - tsRecent >= 0 && seq <= rcvNxt) {
            tsRecent = o.tsVal; // RFC 7323 §4.3
            tsRecentAt = now;
        }
        if (syn) {
            challengeAck(tcp, now); // RFC 5961 §4.2
            return;
        }
        if ((flags & TcpHeader.ACK) == 0) {
            return;
        }
        long ack = sndNxt + (int) (h.ack() - (int) sndNxt);
        if (ack > sndNxt || fin) {
            sendAck(tcp, now); // acknowledges something never sent, or a FIN in the window
        } else if (ack < sndNxt - maxSndWnd) {
            challengeAck(tcp, now); // RFC 5961 §5.2
        }
    }

    /** As {@link TcpConnection#invalidAckLimited}: Linux's {@code tcp_oow_rate_limited}. */
    private boolean invalidAckLimited(TcpInstance tcp, long now, long segLen, boolean syn, TcpCounter skipped) {
        if (segLen > 0 && !syn) {
            return false;
        }
        long interval = tcp.settings().invalidRatelimitMillis() * 1_000_000L;
        if (lastInvalidAckAt != Long.MIN_VALUE && now - lastInvalidAckAt < interval) {
            tcp.count(skipped);
            return true;
        }
        lastInvalidAckAt = now;
        return false;
    }

    /** As {@link ChallengeAcks}: at most {@code challengeAcksPerSecond} per 4-tuple. */
    private void challengeAck(TcpInstance tcp, long now) {
        if (now - challengeWindowStart >= 1_000_000_000L) {
            challengeWindowStart = now;
            challengesInWindow = 0;
        }
        if (challengesInWindow >= tcp.settings().challengeAcksPerSecond()) {
            tcp.count(TcpCounter.CHALLENGE_ACKS_LIMITED);
            return;
        }
        challengesInWindow++;
        tcp.count(TcpCounter.CHALLENGE_ACKS);
        sendAck(tcp, now);
    }

    /** Our ACK: SEQ = SND.NXT, ACK = RCV.NXT, the window and timestamps a connection would send. */
    void sendAck(TcpInstance tcp, long now) {
        Route route;
        try {
            route = tcp.ctx.route(key.remoteAddress(), false);
        } catch (ErrnoException e) {
            return;
        }
        int optLen = TcpOptions.segmentLength(tsOk, 0);
        int hl = TcpHeader.MIN_LEN + optLen;
        PacketBuffer b = tcp.ctx.pool().acquire(hl);
        int at = b.append(hl);
        byte[] a = b.array();
        int tsVal = (int) (now / 1_000_000L) + tsOffset;
        TcpOptions.writeSegment(a, at + TcpHeader.MIN_LEN, tsOk, tsVal, tsRecent, null, 0);
        TcpHeader.emit(a, at, key.localPort(), key.remotePort(), (int) sndNxt, (int) rcvNxt, hl, TcpHeader.ACK,
                Math.min(65535, ackWindow >> rcvWscale));
        rcvWnd = ackWindow;
        Route from = new Route(route.destination(), route.nextHop(), key.localAddress(), route.iface(), route.mtu(),
                route.checksumNotNeeded(), false);
        if (!from.checksumNotNeeded()) {
            TcpHeader.checksum(a, at, hl, key.localAddress(), key.remoteAddress());
        }
        tcp.count(TcpCounter.OUT_SEGS);
        try {
            tcp.ctx.output(b, from, Net.IPPROTO_TCP, ttl & 0xff, tos & 0xff, true);
        } catch (ErrnoException e) {
            // an ACK that cannot leave is lost, as any other
        }
    }
}
