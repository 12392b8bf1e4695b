package netkit.tcp;

import netkit.api.stats.TcpCounter;

/**
 * Challenge ACKs (RFC 5961 §3.2, §4.2, §5.2): the answer to an in-window RST that is not exactly
 * at RCV.NXT, to a SYN in a synchronized state and to an ACK too old to be legitimate. Rate-limited
 * across the stack (§7) to {@code challengeAcksPerSecond}.
 */
final class ChallengeAcks {
    private final TcpInstance tcp;
    private long windowStart;
    private int sentInWindow;

    ChallengeAcks(TcpInstance tcp) {
        this.tcp = tcp;
    }

    /** Sends a challenge ACK on {@code c} unless this second's allowance is used up. */
    void send(TcpConnection c) {
        long now = tcp.ctx.loop().nanoTime();
        if (now - windowStart >= 1_000_000_000L) {
            windowStart = now;
            sentInWindow = 0;
        }
        if (sentInWindow >= tcp.settings().challengeAcksPerSecond()) {
            tcp.count(TcpCounter.CHALLENGE_ACKS_LIMITED);
            return;
        }
        sentInWindow++;
        tcp.count(TcpCounter.CHALLENGE_ACKS);
        TcpSender.sendAck(c);
    }
}
