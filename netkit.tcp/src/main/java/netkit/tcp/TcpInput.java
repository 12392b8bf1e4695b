package netkit.tcp;

import netkit.api.Errno;
import netkit.api.buffer.PacketBuffer;
import netkit.api.stats.TcpCounter;
import netkit.api.wire.TcpHeader;
import netkit.api.wire.TcpOptions;

/**
 * SEGMENT ARRIVES (RFC 9293 §3.10.7.3-4) for a connection past LISTEN: the SYN_SENT rules, then
 * PAWS (RFC 7323 §5), sequence acceptability, RST and SYN checks hardened per RFC 5961, the ACK
 * (windows, RTT, then the connection's {@link LossRecovery} and congestion control), data into the
 * {@link ReceiveBuffer} with the ACK policy, and FIN; then {@link TcpSender#output} sends what is
 * owed. Stack lock held.
 */
final class TcpInput {
    private TcpInput() {
    }

    /**
     * Processes a segment. The packet's data may be kept by the receive buffer (no copy): the
     * return value says so, and then the caller must not release the packet.
     */
    static boolean segmentArrives(TcpConnection c, PacketBuffer pkt, TcpHeader h, TcpOptions o) {
        int flags = h.flags();
        c.segsIn++;
        if (h.dataLength() > 0) {
            c.dataSegsIn++;
        }
        if (c.state == TcpState.SYN_SENT) {
            synSent(c, h, o, flags);
            TcpSender.output(c);
            return false;
        }
        boolean rst = (flags & TcpHeader.RST) != 0;
        boolean syn = (flags & TcpHeader.SYN) != 0;
        boolean fin = (flags & TcpHeader.FIN) != 0;
        long seq = c.extendRcv(h.seq());
        int len = h.dataLength();
        // PAWS (RFC 7323 §5.3): an older timestamp than TS.Recent marks an old duplicate.
        long segLen = len + (syn ? 1 : 0) + (fin ? 1 : 0);
        if (c.tsOk && o.hasTimestamps && !rst && o.tsVal - c.tsRecent < 0 && !disorderedAck(c, h, o, seq, segLen)) {
            c.tcp.count(TcpCounter.PAWS_REJECTED);
            if (len > 0 && seq < c.rcvNxt && !syn) {
                // Old data again (Linux's tcp_send_dupack): reported as a D-SACK (RFC 2883), which is
                // how the peer learns its retransmission was spurious when the original came last.
                c.recvBuf.duplicate(seq, Math.min(seq + len, c.rcvNxt));
            }
            if (!c.invalidAckLimited(segLen, syn, TcpCounter.ACK_SKIPPED_PAWS)) {
                c.ackNow = true;
                TcpSender.output(c);
            }
            return false;
        }
        long wnd = c.rcvAdvEdge - c.rcvNxt;
        boolean acceptable;
        if (segLen == 0) {
            // Like Linux, a zero-length segment exactly at the right edge is taken: it carries no
            // data, and a peer that filled our window sends its ACKs from there.
            acceptable = wnd == 0 ? seq == c.rcvNxt : seq >= c.rcvNxt && seq <= c.rcvNxt + wnd;
        } else {
            acceptable = wnd > 0 && (seq >= c.rcvNxt && seq < c.rcvNxt + wnd
                    || seq + segLen - 1 >= c.rcvNxt && seq + segLen - 1 < c.rcvNxt + wnd);
        }
        if (!acceptable && wnd == 0 && seq == c.rcvNxt) {
            acceptable = true; // RFC 9293: a zero window still takes ACKs, RSTs and URGs
            len = 0;
            fin = false;
            c.ackNow = true; // a probe (data or FIN we cannot take) is answered with our window (§3.8.6.1)
        }
        if (!acceptable) {
            if (len > 0 && seq < c.rcvNxt && !rst && !syn) {
                c.recvBuf.duplicate(seq, Math.min(seq + len, c.rcvNxt)); // old data again: a D-SACK (RFC 2883)
            }
            if (!rst && !c.invalidAckLimited(segLen, syn, TcpCounter.ACK_SKIPPED_SEQ)) {
                c.ackNow = true; // RFC 9293 §3.10.7.4: an unacceptable segment is answered with an ACK
                TcpSender.output(c);
            }
            return false;
        }
        if (seq + len > c.rcvNxt + wnd) {
            len = (int) Math.max(0, c.rcvNxt + wnd - seq); // trim to the window; the FIN goes too
            fin = false;
        }
        if (rst) {
            reset(c, seq);
            return false;
        }
        if (c.tsOk && o.hasTimestamps && o.tsVal - c.tsRecent >= 0 && seq <= c.lastAckSent) {
            c.tsRecent = o.tsVal; // RFC 7323 §4.3
        }
        if (syn) {
            if (c.state == TcpState.SYN_RECEIVED && seq == c.irs) {
                TcpSender.sendSyn(c); // our SYN-ACK was lost: answer the retransmitted SYN
                c.rearm();
                return false;
            }
            c.challengeAcks.send(c); // RFC 5961 §4.2: a SYN in a synchronized state
            return false;
        }
        if ((flags & TcpHeader.ACK) == 0) {
            return false;
        }
        long ack = c.extendSnd(h.ack());
        if (c.state == TcpState.SYN_RECEIVED) {
            if (ack <= c.sndUna || ack > c.sndMax) {
                c.tcp.resets.send(c.key, (int) ack, 0, false); // RFC 9293: unacceptable ACK in SYN_RECEIVED
                return false;
            }
            if (!c.tcp.passiveOpen.admits(c)) {
                return false; // the accept queue is full: drop the final ACK, the handshake waits
            }
            if (c.retransmittedSegments > 0) {
                c.rtt.synTimedOut(); // RFC 6298 §5.7; the final ACK's timestamp echo, if any, samples next
            }
            c.state(TcpState.ESTABLISHED);
            SendBufferTuning.established(c);
            c.tcp.passiveOpen.established(c);
        }
        c.lastAckReceivedAt = c.now();
        if (!processAck(c, h, o, seq, ack, len, fin)) {
            TcpSender.output(c);
            return false;
        }
        if (c.state == TcpState.CLOSED) {
            return false;
        }
        c.touchKeepalive();
        if ((flags & TcpHeader.URG) != 0 && h.urgent() > 0 && c.state.receivesData()) {
            Urgent.pointer(c, seq, h.urgent()); // RFC 6093: the pointer marks the byte after the urgent data
        }
        boolean kept = false;
        if (len > 0) {
            c.lastDataReceivedAt = c.now();
            if (c.urgData == Urgent.NOTYET && c.state.receivesData()) {
                Urgent.arrives(c, pkt, h.dataOffset(), seq, len);
            }
            kept = data(c, pkt, h.dataOffset(), seq, len);
        }
        if (fin) {
            c.outOfOrderFin = seq + len;
            c.ackNow = true;
        }
        if (c.outOfOrderFin >= 0 && c.rcvNxt == c.outOfOrderFin) {
            finArrives(c);
        }
        TcpSender.output(c);
        return kept;
    }

    /**
     * A duplicate ACK that was only overtaken on the way, which PAWS lets through (Linux's
     * {@code tcp_disordered_ack}): a pure ACK at RCV.NXT, of SND.UNA, that would not update the
     * window, with a TSval at most one RTO older than TS.Recent. Dropping it would lose its SACK
     * blocks (and the D-SACK it may carry only once) on any path that reorders ACKs.
     */
    private static boolean disorderedAck(TcpConnection c, TcpHeader h, TcpOptions o, long seq, long segLen) {
        if ((h.flags() & TcpHeader.ACK) == 0 || segLen != 0 || seq != c.rcvNxt
                || c.extendSnd(h.ack()) != c.sndUna) {
            return false;
        }
        long wnd = (long) h.window() << c.sndWscale;
        if (c.sndWl1 < seq || c.sndWl1 == seq && wnd > c.sndWnd) {
            return false; // a window update
        }
        return (long) (c.tsRecent - o.tsVal) <= c.rtt.rto() / 1_000_000L;
    }

    private static void synSent(TcpConnection c, TcpHeader h, TcpOptions o, int flags) {
        boolean ackFlag = (flags & TcpHeader.ACK) != 0;
        long ack = c.sndUna + (int) (h.ack() - (int) c.sndUna);
        if (ackFlag && (ack <= c.iss || ack > c.sndMax)) {
            if ((flags & TcpHeader.RST) == 0) {
                c.tcp.resets.send(c.key, h.ack(), 0, false);
            }
            return;
        }
        if ((flags & TcpHeader.RST) != 0) {
            if (ackFlag) {
                c.fail(Errno.ECONNREFUSED); // the listener refused (RFC 9293 §3.10.7.3)
            }
            return;
        }
        if ((flags & TcpHeader.SYN) == 0) {
            return;
        }
        c.irs = h.seq() & 0xffffffffL;
        c.rcvNxt = c.irs + 1;
        c.rcvAdvEdge = c.rcvNxt;
        c.lastAckSent = c.rcvNxt;
        c.negotiate(o);
        c.sndWnd = h.window(); // never scaled in a SYN
        c.maxSndWnd = c.sndWnd;
        c.sndWl1 = c.irs;
        c.sndWl2 = ack;
        c.ackNow = true;
        if (ackFlag) {
            c.sndUna = ack;
            c.sndNxt = Math.max(c.sndNxt, ack);
            c.retransmits = 0;
            c.lastAckReceivedAt = c.now();
            c.unackedSince = TcpConnection.NONE;
            if (c.retransmittedSegments == 0) { // our SYN went once: the loop clock times it exactly
                c.rtt.sample(c.now() - c.rttStart);
            } else if (c.tsOk && o.tsEcr != 0) { // resent: only the echo tells which one (Karn)
                c.rtt.sample((long) (c.tsNow() - o.tsEcr) * 1_000_000L);
            }
            if (c.retransmittedSegments > 0) {
                c.rtt.synTimedOut(); // RFC 6298 §5.7
            }
            c.rtoAt = 0;
            c.state(TcpState.ESTABLISHED);
            SendBufferTuning.established(c);
            c.touchKeepalive();
        } else {
            c.state(TcpState.SYN_RECEIVED); // simultaneous open (RFC 9293 §3.5, figure 7)
            TcpSender.sendSyn(c);
        }
    }

    private static void reset(TcpConnection c, long seq) {
        if (seq != c.rcvNxt) {
            c.challengeAcks.send(c); // RFC 5961 §3.2: in the window but not exact
            return;
        }
        switch (c.state) {
            case SYN_RECEIVED -> {
                if (c.parent != null) {
                    c.tcp.connections.destroy(c); // back to LISTEN: the listener simply forgets it
                } else {
                    c.fail(Errno.ECONNREFUSED);
                }
            }
            case TIME_WAIT -> {
                // RFC 1337: ignore RSTs in TIME_WAIT (no assassination)
            }
            case CLOSING, LAST_ACK -> c.tcp.connections.destroy(c);
            default -> {
                c.fail(Errno.ECONNRESET);
            }
        }
    }

    /** The ACK field (RFC 9293 §3.10.7.4, fifth check); false when the segment must be dropped. */
    private static boolean processAck(TcpConnection c, TcpHeader h, TcpOptions o, long seq, long ack, int len,
            boolean fin) {
        if (ack > c.sndMax) {
            c.ackNow = true; // acknowledges something not yet sent
            return false;
        }
        if (ack < c.sndUna - c.maxSndWnd) {
            c.challengeAcks.send(c); // RFC 5961 §5.2: too old to be a legitimate ACK
            return false;
        }
        c.probesOut = 0; // the peer answers (RFC 1122 §4.2.2.17: probing may go on indefinitely)
        boolean windowChanged = false;
        if (c.sndWl1 < seq || c.sndWl1 == seq && c.sndWl2 <= ack) {
            long wnd = (long) h.window() << c.sndWscale;
            windowChanged = wnd != c.sndWnd;
            c.sndWnd = wnd;
            c.maxSndWnd = Math.max(c.maxSndWnd, wnd);
            c.sndWl1 = seq;
            c.sndWl2 = ack;
            if (wnd > 0) {
                c.persistAt = 0;
                c.persistBackoff = 0;
                c.zeroWindowProbes = 0;
            }
        }
        boolean newSack = c.recovery.sackBlocks(c, o, ack);
        if (ack > c.sndUna) {
            newlyAcked(c, o, ack);
        } else if (ack == c.sndUna && c.sndMax > c.sndUna
                && (newSack || len == 0 && !fin && !windowChanged)) {
            // RFC 5681 §2; with SACK, RFC 6675 §2: an ACK SACKing new data is a duplicate whatever
            // its window or payload.
            c.recovery.duplicateAck(c);
        }
        c.undo.ackProcessed(c);
        finAcked(c);
        return true;
    }

    private static void newlyAcked(TcpConnection c, TcpOptions o, long ack) {
        long acked = ack - c.sndUna;
        long timed = -1; // the timed segment's ACK: loop-clock precision, once per round trip
        if (c.rttSeq >= 0 && ack >= c.rttSeq) {
            timed = c.now() - c.rttStart;
            c.rttSeq = -1;
        }
        long echo = c.tsOk && o.hasTimestamps && o.tsEcr != 0
                ? (long) (c.tsNow() - o.tsEcr) * 1_000_000L // RFC 7323 §4.1, millisecond ticks
                : -1;
        // The RTO estimator takes the echo only while no segment is timed after a retransmission
        // (Karn): its zero ticks would drag a fast path's srtt to 0 (Linux prefers send times too).
        long forRto = timed >= 0 ? timed : c.echoSamples ? echo : -1;
        if (forRto >= 0) {
            c.rtt.sample(forRto);
        }
        long forCc = timed >= 0 ? timed : echo; // HyStart++ wants a sample per ACK (RFC 9406 §4.2)
        if (forCc >= 0) {
            c.cc.rttSample(forCc, ack, c.sndNxt);
        }
        int freeBefore = c.sendBuf.free();
        c.sendBuf.consume((int) Math.min(acked, c.sendBuf.size()));
        c.sndUna = ack;
        if (c.sndNxt < ack) {
            c.sndNxt = ack;
        }
        c.retransmits = 0;
        c.unackedSince = TcpConnection.NONE;
        c.undo.acked(c, o, ack); // Eifel (RFC 3522) before recovery takes the ACK: an undo ends it
        c.recovery.newDataAcked(c, acked);
        TcpSender.restartRto(c);
        SendBufferTuning.spaceFreed(c); // Linux tcp_new_space
        c.sendSpaceFreed(freeBefore);
    }

    private static void finAcked(TcpConnection c) {
        if (!c.finAcked()) {
            return;
        }
        switch (c.state) {
            case FIN_WAIT_1 -> {
                c.state(TcpState.FIN_WAIT_2);
                if (c.orphan) {
                    c.finWait2At = c.now() + c.tcp.settings().finWait2Millis() * 1_000_000L;
                }
            }
            case CLOSING -> c.enterTimeWait();
            case LAST_ACK -> c.tcp.connections.destroy(c);
            default -> {
            }
        }
    }

    private static boolean data(TcpConnection c, PacketBuffer pkt, int off, long seq, int len) {
        if (!c.state.receivesData()) {
            return false;
        }
        if (c.orphan) {
            // Data for a socket the application closed: RFC 9293 §3.10.7.4 / RFC 2525 §2.17.
            TcpSender.sendReset(c);
            c.fail(Errno.ECONNRESET);
            return false;
        }
        boolean hadHoles = c.recvBuf.outOfOrderBytes() > 0;
        if (seq > c.rcvNxt && c.tcp.underMemoryPressure()) {
            c.ackNow = true; // out-of-order data is refused under global memory pressure
            return false;
        }
        long advanced = c.recvBuf.accept(c.rcvNxt, seq, pkt, off, len);
        boolean kept = c.recvBuf.keptLast();
        c.rcvNxt += advanced;
        if (c.readShut) {
            c.recvBuf.discard(c.recvBuf.readable()); // shut for reading: accepted and discarded
        }
        if (advanced == 0 || hadHoles || c.recvBuf.outOfOrderBytes() > 0) {
            c.ackNow = true; // RFC 5681 §4.2: out-of-order data and filled holes are ACKed at once
        } else if (++c.unackedSegments >= 2) {
            c.ackNow = true; // RFC 1122 §4.2.3.2: at least every second full-sized segment
        } else if (c.delackAt == 0) {
            c.delackAt = c.now() + c.tcp.settings().delayedAckMillis() * 1_000_000L;
        }
        c.receiveBufferTuning.delivered(c, advanced);
        c.wake();
        return kept;
    }

    private static void finArrives(TcpConnection c) {
        c.rcvNxt++;
        c.outOfOrderFin = -1;
        c.finReceived = true;
        c.ackNow = true;
        switch (c.state) {
            case SYN_RECEIVED, ESTABLISHED -> c.state(TcpState.CLOSE_WAIT);
            case FIN_WAIT_1 -> {
                if (c.finAcked()) {
                    c.enterTimeWait();
                } else {
                    c.state(TcpState.CLOSING);
                }
            }
            case FIN_WAIT_2 -> c.enterTimeWait();
            case TIME_WAIT -> c.enterTimeWait(); // restart 2·MSL
            default -> {
            }
        }
        c.wake();
    }
}
