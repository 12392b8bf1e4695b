package netkit.tcp;

import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.protocol.Route;
import netkit.api.stats.TcpCounter;
import netkit.api.wire.Bytes;
import netkit.api.wire.TcpHeader;
import netkit.api.wire.TcpOptions;

/**
 * Everything a connection sends: SYNs, data within the send and congestion windows (Nagle,
 * sender-side SWS avoidance), FIN, ACKs, RSTs, retransmissions on timeout (RFC 6298) and those the
 * connection's {@link LossRecovery} asks for, window and keepalive probes. Segments are built
 * straight into a packet buffer with header room and handed to IP ({@code StackContext.output}).
 */
final class TcpSender {
    private static final int[] NO_BLOCKS = new int[0];

    private TcpSender() {
    }

    /** Sends SYN (SYN_SENT) or SYN-ACK (SYN_RECEIVED) with our options. */
    static void sendSyn(TcpConnection c) {
        int flags = TcpHeader.SYN | (c.state == TcpState.SYN_RECEIVED ? TcpHeader.ACK : 0);
        segment(c, c.iss, 0, flags);
        c.sndMax = Math.max(c.sndMax, c.iss + 1);
        c.sndNxt = c.iss + 1;
        startRtoIfIdle(c);
    }

    /** Sends what the windows allow, then an ACK if one is owed and nothing carried it. */
    static void output(TcpConnection c) {
        if (!c.state.synchronizedState() || c.state == TcpState.TIME_WAIT) {
            // Outside the data states only an owed ACK goes out (a re-ACKed FIN in TIME_WAIT, the
            // ACK of a crossing SYN-ACK in SYN_RECEIVED during simultaneous open).
            if (c.ackNow && (c.state == TcpState.TIME_WAIT || c.state == TcpState.SYN_RECEIVED)) {
                sendAck(c);
            }
            c.rearm();
            return;
        }
        restartAfterIdle(c);
        boolean sent = false;
        while (true) {
            if (c.recovery.retransmitLost(c)) {
                sent = true;
                continue;
            }
            if (!sendNewData(c)) {
                break;
            }
            sent = true;
        }
        if (!sent && (c.ackNow || windowUpdateDue(c))) {
            sendAck(c);
        }
        long unsent = c.sendEnd() - c.sndNxt;
        if (c.sndWnd == 0 && (unsent > 0 || c.finQueued && !c.finSent()) && c.sndNxt == c.sndUna
                && c.persistAt == 0) {
            c.persistAt = c.now() + Math.min(c.rtt.rto() << Math.min(c.persistBackoff, 10), 60_000_000_000L);
        }
        c.rearm();
    }

    /**
     * Retransmits the first unacknowledged segment (fast retransmit, RFC 5681 §3.2; a NewReno
     * partial ACK's next hole, RFC 6582 §3.2 step 5).
     *
     * @return the data bytes sent, -1 when there was nothing to send
     */
    static int retransmitFirst(TcpConnection c) {
        int len = (int) Math.min(c.mss, c.sendEnd() - c.sndUna);
        boolean fin = len == 0 && c.finQueued && c.sndUna == c.finSeq;
        if (len <= 0 && !fin) {
            return -1;
        }
        int sent = segment(c, c.sndUna, Math.max(0, len), fin ? TcpHeader.FIN | TcpHeader.ACK : TcpHeader.ACK);
        c.countRetransmit();
        return sent;
    }

    private static boolean sendNewData(TcpConnection c) {
        c.sndNxt = c.recovery.nextToSend(c);
        long inFlight = c.recovery.pipe(c);
        long cwnd = c.cc.cwnd();
        long byCongestion = cwnd - inFlight;
        long byWindow = c.sndUna + c.sndWnd - c.sndNxt;
        long unsent = c.sendEnd() - c.sndNxt;
        long len = Math.min(Math.min(unsent, c.mss), Math.min(byCongestion, byWindow));
        boolean canFin = c.finQueued && c.sndNxt == c.sendEnd() && (!c.finSent() || c.sndNxt < c.sndMax);
        if (len <= 0) {
            if (canFin && unsent == 0 && byCongestion > 0) {
                segment(c, c.sndNxt, 0, TcpHeader.FIN | TcpHeader.ACK);
                advance(c, 0, true);
                return true;
            }
            return false;
        }
        if (len < c.mss && byCongestion < Math.min(Math.min(unsent, c.mss), byWindow)) {
            // cwnd counts whole segments (like Linux): it never cuts one short. Otherwise a window
            // that is not a multiple of the MSS (CUBIC, PRR) splits the flow into small segments.
            return false;
        }
        boolean tail = c.sndNxt + len == c.sendEnd();
        if (len < c.mss && c.sndNxt >= c.sndMax) {
            if (!tail) {
                // Sender SWS avoidance (RFC 9293 §3.8.6.2.1, MUST-38/39): a piece the peer's window
                // cuts short goes only when it fills half the largest window the peer offered, or
                // when the override timeout (the persist timer) has fired with nothing in flight.
                if (len < c.maxSndWnd / 2 && !c.swsOverride) {
                    if (c.sndMax == c.sndUna && c.persistAt == 0) {
                        c.persistAt = c.now() + c.rtt.rto();
                    }
                    return false;
                }
            } else if (!c.noDelay() && c.sndNxt > c.sndUna && !c.finQueued && c.sndUp <= c.sndNxt) {
                // Nagle (RFC 896, RFC 1122 §4.2.3.4): hold a small tail while data is unacknowledged.
                return false;
            }
        }
        int flags = TcpHeader.ACK;
        boolean fin = false;
        if (tail) {
            flags |= TcpHeader.PSH;
            if (c.finQueued) {
                flags |= TcpHeader.FIN;
                fin = true;
            }
        }
        boolean retransmission = c.sndNxt < c.sndMax;
        if (retransmission) {
            c.countRetransmit();
        } else if (c.rttSeq < 0) {
            // Karn: time only new data. Timed on the loop clock with timestamps on too: their clock
            // ticks in milliseconds, too coarse for a fast path (Linux times by send time first).
            c.rttSeq = c.sndNxt + len;
            c.rttStart = c.now();
            c.echoSamples = false;
        }
        int sent = segment(c, c.sndNxt, (int) len, flags);
        advance(c, sent, fin && sent == len);
        return sent > 0; // no progress, no next iteration
    }

    /**
     * Restart after idle (RFC 5681 §4.1, as Linux's tcp_slow_start_after_idle): when nothing is in
     * flight and no data went out for longer than the RTO, cwnd goes back to at most the initial
     * window (10 segments, RFC 6928) before sending again; ssthresh keeps what was learnt.
     */
    private static void restartAfterIdle(TcpConnection c) {
        if (c.lastDataSentAt != 0 && c.sndMax == c.sndUna && c.sendEnd() > c.sndNxt
                && c.now() - c.lastDataSentAt > c.rtt.rto()) {
            c.cc.cwnd(Math.min(c.cc.cwnd(), 10L * c.mss));
            c.lastDataSentAt = c.now();
        }
    }

    private static void advance(TcpConnection c, int len, boolean fin) {
        if (len > 0) {
            c.lastDataSentAt = c.now();
        }
        c.sndNxt += len + (fin ? 1 : 0);
        c.sndMax = Math.max(c.sndMax, c.sndNxt);
        c.persistAt = 0;
        startRtoIfIdle(c);
    }

    private static boolean windowUpdateDue(TcpConnection c) {
        // RFC 9293 §3.8.6.2.2: announce a window that grew by 2·MSS or half the buffer.
        long grown = windowFor(c) - (c.rcvAdvEdge - c.rcvNxt);
        return c.state.receivesData() && grown >= Math.min(2L * c.mss, c.recvBuf.capacity() / 2);
    }

    /**
     * The receive window to offer: free buffer space, never shrinking the right edge (RFC 9293
     * §3.8.6), in whole units of the window scale (RFC 7323 §2.4), so the window the peer reads is
     * exactly the one incoming data is checked against: free space is rounded down, the current
     * window up (as Linux's {@code tcp_select_window}).
     */
    static long windowFor(TcpConnection c) {
        long unit = 1L << c.rcvWscale;
        long max = 65535L << c.rcvWscale;
        long free = Math.min(max, c.recvBuf.free()) & -unit;
        long current = (c.rcvAdvEdge - c.rcvNxt + unit - 1) & -unit;
        return Math.min(max, Math.max(free, current));
    }

    /**
     * Sends a pure ACK now, with the highest sequence number sent (RFC 9293's SND.NXT, which never
     * rewinds): after a timeout our retransmission pointer does, and an ACK carrying it could be
     * older than what the peer already holds, fail its acceptability test and be dropped.
     */
    static void sendAck(TcpConnection c) {
        if (c.state == TcpState.CLOSED || c.state == TcpState.SYN_SENT) {
            return;
        }
        segment(c, c.sndMax, 0, TcpHeader.ACK);
    }

    /** Aborts with RST (SO_LINGER 0, unread data on close). */
    static void sendReset(TcpConnection c) {
        if (c.state.synchronizedState() || c.state == TcpState.SYN_RECEIVED) {
            segment(c, c.sndMax, 0, TcpHeader.RST | TcpHeader.ACK);
        }
    }

    /**
     * Builds one segment of up to {@code len} bytes from the send buffer at {@code seq} and sends it.
     * Data and options together never exceed the MSS (RFC 6691 §2): with SACK blocks, less data fits.
     *
     * @return the number of data bytes sent
     */
    static int segment(TcpConnection c, long seq, int len, int flags) {
        boolean syn = (flags & TcpHeader.SYN) != 0;
        int tsVal = c.tsNow();
        boolean ackFlag = c.state != TcpState.SYN_SENT;
        if (ackFlag) {
            flags |= TcpHeader.ACK;
        }
        int[] blocks = NO_BLOCKS;
        int blockCount = 0;
        if (!syn && c.sackOk && c.recvBuf.sackDue()) {
            blocks = c.tcp.sackScratch; // written into the segment below, before anything else needs it
            blockCount = c.recvBuf.sackBlocks(blocks, c.tsOk ? 3 : 4);
        }
        boolean offerTs = c.state == TcpState.SYN_SENT || c.tsOk;
        boolean offerSack = c.state == TcpState.SYN_SENT || c.sackOk;
        boolean offerWs = c.state == TcpState.SYN_SENT || c.wsOk;
        int optLen = syn ? TcpOptions.synLength(offerSack, offerTs, offerWs)
                : TcpOptions.segmentLength(c.tsOk, blockCount);
        int hl = TcpHeader.MIN_LEN + optLen;
        int room = c.maxSegment() - optLen; // at least 8 bytes: options take at most 40
        if (len > room) {
            len = Math.max(0, room);
            flags &= ~(TcpHeader.FIN | TcpHeader.PSH); // the tail (and the FIN) wait for the next segment
        }
        PacketBuffer b = c.tcp.ctx.pool().acquire(hl + len);
        int at = b.append(hl + len);
        byte[] a = b.array();
        if (syn) {
            TcpOptions.writeSyn(a, at + TcpHeader.MIN_LEN, c.announcedMss(), offerSack, offerTs, tsVal,
                    c.state == TcpState.SYN_SENT ? 0 : c.tsRecent, offerWs ? c.rcvWscale : -1);
        } else {
            TcpOptions.writeSegment(a, at + TcpHeader.MIN_LEN, c.tsOk, tsVal, c.tsRecent, blocks, blockCount);
        }
        if (len > 0) {
            c.sendBuf.copy((int) (seq - c.sndUna), a, at + hl, len);
            c.dataSegsOut++;
            c.bytesSent += len;
            if (seq < c.sndMax) {
                c.bytesRetrans += len;
            }
        }
        long window;
        if (syn) {
            window = Math.min(65535, c.recvBuf.free()); // never scaled in a SYN (RFC 7323 §2.2)
            c.rcvAdvEdge = c.rcvNxt + window;
        } else {
            window = windowFor(c);
            c.rcvAdvEdge = c.rcvNxt + window;
            window >>= c.rcvWscale;
        }
        TcpHeader.emit(a, at, c.key.localPort(), c.key.remotePort(), (int) seq, ackFlag ? (int) c.rcvNxt : 0, hl,
                flags, (int) Math.min(65535, window));
        if (c.sndUp > seq && !syn && (flags & TcpHeader.RST) == 0) {
            // urgent mode (RFC 9293 §3.8.5, RFC 6093): the pointer is the offset of the byte after
            // the urgent data, as far as 16 bits reach; every segment before it carries URG
            a[at + 13] |= TcpHeader.URG;
            Bytes.put16(a, at + 18, (int) Math.min(65535, c.sndUp - seq));
        }
        if (c.route == null || !c.route.checksumNotNeeded()) {
            TcpHeader.checksum(a, at, hl + len, c.key.localAddress(), c.key.remoteAddress());
        }
        if (!syn && (flags & TcpHeader.RST) == 0 && (len > 0 || (flags & TcpHeader.FIN) != 0)) {
            if (seq < c.sndMax) {
                c.undo.retransmitted(c, seq, tsVal); // the TSval it goes with (the loop clock may tick on)
            }
            c.recovery.transmitted(c, seq, seq + len + ((flags & TcpHeader.FIN) != 0 ? 1 : 0));
        }
        if (ackFlag) {
            c.lastAckSent = c.rcvNxt;
            c.ackNow = false;
            c.unackedSegments = 0;
            c.delackAt = 0;
        }
        transmit(c, b);
        return len;
    }

    /** Hands a connection's segment (checksum already set) to IP. */
    private static void transmit(TcpConnection c, PacketBuffer b) {
        c.tcp.count(TcpCounter.OUT_SEGS);
        c.segsOut++;
        try {
            c.tcp.ctx.output(b, c.route, Net.IPPROTO_TCP, c.options.ttl(), c.options.tos(), true);
        } catch (ErrnoException e) {
            outputFailed(c, e);
        }
    }

    /** Checksums and hands to IP a segment sent without a connection (a RST, a SYN cookie's SYN-ACK). */
    static void sendStateless(TcpInstance tcp, ConnectionKey key, PacketBuffer b, Route viaRoute) {
        Route route = TcpConnection.fromLocal(viaRoute, key); // the pseudo-header's source (MUST-43/45)
        tcp.count(TcpCounter.OUT_SEGS);
        if (!route.checksumNotNeeded()) {
            TcpHeader.checksum(b.array(), b.offset(), b.length(), key.localAddress(), key.remoteAddress());
        }
        try {
            tcp.ctx.output(b, route, Net.IPPROTO_TCP, 64, 0, true);
        } catch (ErrnoException e) {
            // nothing to tell: a reply that cannot leave is simply lost
        }
    }


    /** RTO expiry (RFC 6298 §5.4-5.7; RFC 5681 §3.1 for the windows). */
    static void retransmitTimeout(TcpConnection c) {
        TcpSettings s = c.tcp.settings();
        if (c.state == TcpState.SYN_SENT || c.state == TcpState.SYN_RECEIVED) {
            if (c.retransmits == 0) {
                c.unackedSince = c.now() - c.rtt.rto(); // the SYN went one RTO ago
            }
            if (c.retransmits >= s.synRetries() || userTimedOut(c)) {
                timedOut(c);
                return;
            }
            c.retransmits++;
            c.countRetransmit();
            c.rtt.backOff();
            c.rtoAt = 0;
            sendSyn(c);
            clampToUserTimeout(c);
            return;
        }
        if (c.sndMax <= c.sndUna) {
            return;
        }
        if (c.retransmits == 0 && c.probesOut == 0) {
            c.unackedSince = c.now() - c.rtt.rto(); // the oldest segment went one RTO ago
        }
        c.tcp.count(TcpCounter.TIMEOUTS);
        if (c.orphan && c.tcp.orphans.outOfResources(c)) {
            return;
        }
        if (c.sndWnd == 0) {
            zeroWindowTimeout(c);
            return;
        }
        if (c.retransmits >= (c.orphan ? s.effectiveOrphanRetries() : s.dataRetries()) || userTimedOut(c)) {
            timedOut(c);
            return;
        }
        c.retransmits++;
        c.rtt.backOff();
        if (c.retransmits == 1) {
            c.undo.timeoutFires(c); // before the reduction: what an undo restores
            c.cc.onTimeout(c.sndMax - c.sndUna, c.now());
        } else {
            c.cc.cwnd(c.mss);
        }
        c.recovery.timeout(c);
        c.sndNxt = c.sndUna;
        c.rttSeq = -1;
        c.rtoAt = 0;
        output(c);
        startRtoIfIdle(c);
        clampToUserTimeout(c);
    }

    /**
     * Whether TCP_USER_TIMEOUT has passed since the oldest unacknowledged segment (or the SYN) was
     * sent (RFC 9293 MUST-21, RFC 5482; Linux's {@code retransmits_timed_out} with a user timeout).
     */
    private static boolean userTimedOut(TcpConnection c) {
        long limit = c.userTimeoutNanos();
        return limit > 0 && c.unackedSince != TcpConnection.NONE && c.now() - c.unackedSince >= limit;
    }

    /** The next retransmission timeout fires no later than the user timeout (Linux does the same). */
    private static void clampToUserTimeout(TcpConnection c) {
        long limit = c.userTimeoutNanos();
        if (limit > 0 && c.rtoAt != 0 && c.unackedSince != TcpConnection.NONE) {
            c.rtoAt = Math.max(c.now() + 1, Math.min(c.rtoAt, c.unackedSince + limit));
            c.rearm();
        }
    }

    /**
     * The retransmission timer expired while the peer's window is closed with data or our FIN
     * outstanding (the peer shrank its window, or a FIN went into a full one). What we resend is a
     * window probe, not a failed retransmission: RFC 9293 §3.8.6.1 and RFC 1122 §4.2.2.17 (MUST-37)
     * keep the connection open as long as the peer answers, so only unanswered probes count
     * toward {@code dataRetries} (as Linux's {@code tcp_retransmit_timer} does). Everything
     * outstanding is sent again once the window opens (go-back-N); until then data probes through
     * the persist timer and a lone FIN is resent by this timer.
     */
    private static void zeroWindowTimeout(TcpConnection c) {
        if (zeroWindowGiveUp(c)) {
            return;
        }
        c.probesOut++;
        c.zeroWindowProbes++;
        c.rtt.backOff();
        c.recovery.timeout(c);
        c.sndNxt = c.sndUna;
        c.rttSeq = -1;
        c.rtoAt = 0;
        output(c);
    }

    /**
     * Whether a zero-window sender gives up now (and did): after {@code dataRetries} probes without
     * an answer, or, for an orphan, after {@code orphanRetries} probes whatever the answers.
     */
    private static boolean zeroWindowGiveUp(TcpConnection c) {
        TcpSettings s = c.tcp.settings();
        if (c.orphan ? c.zeroWindowProbes >= s.effectiveOrphanRetries() : c.probesOut >= s.dataRetries()) {
            timedOut(c);
            return true;
        }
        return false;
    }

    /**
     * The connection is given up after unanswered retransmissions or probes (ETIMEDOUT, or the soft
     * error seen meanwhile, RFC 1122 §4.2.3.9), counted as TCPAbortOnTimeout. An orphan's peer may
     * well be alive (a window closed for ever), so it is told with RST.
     */
    static void timedOut(TcpConnection c) {
        c.tcp.count(TcpCounter.ABORT_ON_TIMEOUT);
        if (c.orphan) {
            sendReset(c);
        }
        c.fail(c.softError != null ? c.softError : Errno.ETIMEDOUT);
    }

    /**
     * Zero-window probe: an old sequence number makes the peer answer with its window (persist).
     * Answered probes may go on indefinitely (MUST-37); unanswered ones, and an orphan's, are bounded
     * as in {@link #zeroWindowGiveUp}.
     */
    static void persistProbe(TcpConnection c) {
        if (c.sndWnd > 0 || !c.state.synchronizedState()) {
            // an open but small window: the SWS override timeout sends what it allows
            c.persistBackoff = 0;
            c.swsOverride = true;
            output(c);
            c.swsOverride = false;
            return;
        }
        if (c.orphan && c.tcp.orphans.outOfResources(c) || zeroWindowGiveUp(c)) {
            return;
        }
        segment(c, c.sndUna - 1, 0, TcpHeader.ACK);
        c.probesOut++;
        c.zeroWindowProbes++;
        c.persistBackoff++;
        c.persistAt = c.now() + Math.min(c.rtt.rto() << Math.min(c.persistBackoff, 10), 60_000_000_000L);
    }

    /** Keepalive probe (RFC 1122 §4.2.3.6): SEG.SEQ = SND.NXT − 1, no data. */
    static void keepaliveProbe(TcpConnection c) {
        if (c.sndMax > c.sndUna || c.sendEnd() > c.sndNxt) {
            // MUST-26: only an idle connection is probed; data in flight or waiting has its own
            // timers (retransmission, persist), so look again after another idle period
            c.keepaliveProbes = 0;
            c.keepaliveAt = c.now() + c.keepIdleNanos();
            return;
        }
        if (c.keepaliveProbes >= c.keepCount()) {
            c.tcp.count(TcpCounter.ABORT_ON_TIMEOUT);
            c.fail(Errno.ETIMEDOUT);
            return;
        }
        c.keepaliveProbes++;
        segment(c, c.sndUna - 1, 0, TcpHeader.ACK);
        c.keepaliveAt = c.now() + c.keepIntervalSeconds() * 1_000_000_000L;
    }

    /** Starts the retransmission timer if data is outstanding and it is not running (RFC 6298 §5.1). */
    static void startRtoIfIdle(TcpConnection c) {
        if (c.rtoAt == 0 && c.sndMax > c.sndUna) {
            c.rtoAt = c.now() + c.rtt.rto();
        }
    }

    /** Restarts it after new data was acknowledged (§5.3), or stops it when all is (§5.2). */
    static void restartRto(TcpConnection c) {
        c.rtoAt = c.sndMax > c.sndUna ? c.now() + c.rtt.rto() : 0;
    }

    /** Maps a failed output to what the connection should do: the RTO retries later. */
    private static void outputFailed(TcpConnection c, ErrnoException e) {
        if (e.errno() == Errno.EMSGSIZE) {
            c.computeMss();
        }
        if (e.errno() == Errno.ENETUNREACH || e.errno() == Errno.EHOSTUNREACH) {
            c.softError = e.errno();
        }
    }
}
