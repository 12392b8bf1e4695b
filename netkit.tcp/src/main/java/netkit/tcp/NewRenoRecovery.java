package netkit.tcp;

import netkit.api.wire.TcpOptions;

/**
 * NewReno fast recovery (RFC 6582) for connections without SACK: three duplicate ACKs retransmit
 * the first unacknowledged segment and set cwnd to ssthresh + 3·MSS; each further duplicate
 * inflates cwnd by one MSS; a partial ACK retransmits the next hole and deflates cwnd by the
 * amount acknowledged; the full ACK ends recovery.
 */
final class NewRenoRecovery extends LossRecovery {
    private int dupAcks;

    @Override
    boolean sackBlocks(TcpConnection c, TcpOptions o) {
        return false; // SACK was not negotiated
    }

    @Override
    void newDataAcked(TcpConnection c, long acked) {
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
    }

    @Override
    boolean retransmitLost(TcpConnection c) {
        return false; // only the first hole is known: partial ACKs resend the next one
    }

    @Override
    long pipe(TcpConnection c) {
        return c.sndNxt - c.sndUna;
    }

    @Override
    long nextToSend(TcpConnection c) {
        return c.sndNxt;
    }
}
