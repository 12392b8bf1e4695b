package netkit.tcp;

import netkit.api.stats.TcpCounter;

/**
 * Challenge ACKs (RFC 5961 §3.2, §4.2, §5.2): the answer to an in-window RST that is not exactly
 * at RCV.NXT, to a SYN in a synchronized state and to an ACK too old to be legitimate. Rate-limited
 * (§7) to {@code challengeAcksPerSecond} per connection, not across the stack: a shared budget is
 * the side channel of CVE-2016-5696, through which an off-path attacker who spends it learns
 * whether a 4-tuple is in use. Linux closed it the same way (since 6.0 the global
 * {@code tcp_challenge_ack_limit} is off by default and a per-socket limit remains).
 */
final class ChallengeAcks {
    private long windowStart;
    private int sentInWindow;

    /** Sends a challenge ACK on {@code c}, this object's connection, unless its allowance for this second is used up. */
    void send(TcpConnection c) {
        long now = c.now();
        if (now - windowStart >= 1_000_000_000L) {
            windowStart = now;
            sentInWindow = 0;
        }
        if (sentInWindow >= c.tcp.settings().challengeAcksPerSecond()) {
            c.tcp.count(TcpCounter.CHALLENGE_ACKS_LIMITED);
            return;
        }
        sentInWindow++;
        c.tcp.count(TcpCounter.CHALLENGE_ACKS);
        TcpSender.sendAck(c);
    }
}
