package netkit.tcp;

import netkit.api.wire.TcpOptions;

/**
 * NewReno fast recovery (RFC 6582) for connections without SACK: three duplicate ACKs retransmit
 * the first unacknowledged segment and set cwnd to ssthresh + 3·MSS; each further duplicate
 * inflates cwnd by one MSS; a partial ACK retransmits the next hole and deflates cwnd by the
 * amount acknowledged; the full ACK ends recovery. Before it, limited transmit (RFC 3042): the
 * first and second duplicate ACKs each let one new segment go, cwnd unchanged, as far as the peer's
 * window allows (the pipe is the flight less one MSS per duplicate ACK, at most two), and what they
 * sent is left out of the FlightSize that sets ssthresh (RFC 5681 §3.2 step 2). (Linux gets the
 * same by counting each duplicate ACK as a SACKed segment.) No tail loss probe without SACK: RFC
 * 8985 §7 and Linux's {@code tcp_schedule_loss_probe} require SACK, so a lost last segment waits
 * for the retransmission timeout.
 */
final class NewRenoRecovery extends LossRecovery {
    /** RFC 3042: limited transmit on the first and second duplicate ACK. */
    private static final int LIMITED_TRANSMIT = 2;
    private int dupAcks;
    private long limitedSent; // new data sent by limited transmit since the last new ACK

    @Override
    boolean sackBlocks(TcpConnection c, TcpOptions o, long ack) {
        return false; // SACK was not negotiated
    }

    @Override
    void newDataAcked(TcpConnection c, long acked) {
        limitedSent = 0;
        if (!inRecovery) {
            dupAcks = 0;
            c.cc.onAck(acked, c.now(), c.rtt.srtt());
        } else if (c.sndUna >= recoverSeq) {
            inRecovery = false; // full ACK (RFC 6582 §3.2 step 3)
            dupAcks = 0;
            c.cc.onRecoveryEnd(c.sndMax - c.sndUna);
        } else {
            // Partial ACK: retransmit the next hole, deflate (RFC 6582 §3.2 step 5).
            TcpSender.retransmitFirst(c);
            c.cc.cwnd(Math.max(c.mss, c.cc.cwnd() - acked + c.mss));
        }
    }

    @Override
    void duplicateAck(TcpConnection c) {
        dupAcks++;
        if (inRecovery) {
            c.cc.cwnd(c.cc.cwnd() + c.mss); // RFC 6582 §3.2 step 4: inflate
            return;
        }
        if (dupAcks >= DUP_THRESH && startRecovery(c)) {
            TcpSender.retransmitFirst(c);
            c.cc.cwnd(c.cc.ssthresh() + (long) DUP_THRESH * c.mss); // RFC 6582 §3.2 step 2
        }
    }

    @Override
    void timeout(TcpConnection c) {
        super.timeout(c);
        dupAcks = 0;
        limitedSent = 0;
    }

    @Override
    void undone(TcpConnection c, boolean timeout, boolean reordering) {
        super.undone(c, timeout, reordering);
        dupAcks = 0;
        limitedSent = 0;
    }

    @Override
    void transmitted(TcpConnection c, long start, long end) {
        if (!inRecovery && dupAcks > 0 && start >= c.sndMax) {
            limitedSent += end - start; // new data a duplicate ACK let go (RFC 3042)
        }
    }

    @Override
    long flightSize(TcpConnection c) {
        return Math.max(0, super.flightSize(c) - limitedSent);
    }

    @Override
    boolean retransmitLost(TcpConnection c) {
        return false; // only the first hole is known: partial ACKs resend the next one
    }

    /** The flight; before recovery, less one MSS for each of the first two duplicate ACKs (RFC 3042). */
    @Override
    long pipe(TcpConnection c) {
        long flight = c.sndNxt - c.sndUna;
        if (inRecovery || dupAcks == 0) {
            return flight;
        }
        return Math.max(0, flight - (long) Math.min(dupAcks, LIMITED_TRANSMIT) * c.mss);
    }

    @Override
    long nextToSend(TcpConnection c) {
        return c.sndNxt;
    }
}
