package netkit.api.stats;

/**
 * TCP counters: RFC 4022 tcp group, then Linux's InCsumErrors and TcpExt counts. CurrEstab,
 * TCPOrphans and MemoryBytes are gauges, read when the snapshot is taken.
 */
public enum TcpCounter implements Counter {
    ACTIVE_OPENS("ActiveOpens"),
    PASSIVE_OPENS("PassiveOpens"),
    ATTEMPT_FAILS("AttemptFails"),
    ESTAB_RESETS("EstabResets"),
    /** Connections in ESTABLISHED or CLOSE_WAIT now. */
    CURR_ESTAB("CurrEstab"),
    IN_SEGS("InSegs"),
    OUT_SEGS("OutSegs"),
    RETRANS_SEGS("RetransSegs"),
    IN_ERRS("InErrs"),
    IN_CSUM_ERRORS("InCsumErrors"),
    OUT_RSTS("OutRsts"),
    /** SYNs dropped or answered with a cookie because a listener's queue was full. */
    LISTEN_OVERFLOWS("ListenOverflows"),
    /** SYN cookies sent (RFC 4987 §3.6). */
    SYN_COOKIES_SENT("SynCookiesSent"),
    /** Connections opened by a valid SYN cookie. */
    SYN_COOKIES_RECV("SynCookiesRecv"),
    /** Challenge ACKs sent (RFC 5961). */
    CHALLENGE_ACKS("ChallengeAcks"),
    /** Challenge ACKs not sent because of the rate limit (RFC 5961 §7). */
    CHALLENGE_ACKS_LIMITED("ChallengeAcksLimited"),
    /** Segments dropped by PAWS (RFC 7323 §5). */
    PAWS_REJECTED("PAWSRejected"),
    /** Duplicate ACKs for out-of-window segments not sent because of the rate limit (RFC 5961 §10; Linux). */
    ACK_SKIPPED_SEQ("TCPACKSkippedSeq"),
    /** Duplicate ACKs for PAWS-rejected segments not sent because of the rate limit (RFC 7323 §5.3; Linux). */
    ACK_SKIPPED_PAWS("TCPACKSkippedPAWS"),
    FAST_RETRANSMITS("FastRetransmits"),
    /** Retransmission timer expiries (RFC 6298). */
    TIMEOUTS("Timeouts"),
    /**
     * Connections given up after unanswered retransmissions or probes, or an orphan after its
     * retries (Linux's name).
     */
    ABORT_ON_TIMEOUT("TCPAbortOnTimeout"),
    /**
     * Orphans reset because the stack was over its TCP memory limit while they held data, at close
     * or at their timer (Linux's name; Linux counts orphan-limit resets here too, netkit in
     * {@link #ABORT_ON_ORPHAN_LIMIT}).
     */
    ABORT_ON_MEMORY("TCPAbortOnMemory"),
    /**
     * Orphans reset because the stack had {@code maxOrphans} of them: at close, or at their timer
     * after the limit was lowered.
     */
    ABORT_ON_ORPHAN_LIMIT("TCPAbortOnOrphanLimit"),
    /** Orphaned connections now: closed by the application, still finishing (TIME_WAIT not counted). */
    ORPHANS("TCPOrphans"),
    /** Tail loss probes sent (RFC 8985 §7; Linux TCPLossProbes). */
    LOSS_PROBES("TCPLossProbes"),
    /** Losses a tail loss probe repaired (RFC 8985 §7.4; Linux TCPLossProbeRecovery). */
    LOSS_PROBE_RECOVERY("TCPLossProbeRecovery"),
    /** Segments RACK deemed lost (RFC 8985 §6.2). */
    RACK_LOST("TCPRackLost"),
    /** Retransmissions RACK deemed lost again (Linux TCPLostRetransmit). */
    LOST_RETRANSMIT("TCPLostRetransmit"),
    /** ACKs whose first SACK block is a D-SACK below the cumulative ACK (RFC 2883 §4; Linux TCPDSACKRecv). */
    DSACK_RECV("TCPDSACKRecv"),
    /** ACKs whose first SACK block is a D-SACK within the second, above the cumulative ACK (Linux TCPDSACKOfoRecv). */
    DSACK_OFO_RECV("TCPDSACKOfoRecv"),
    /**
     * Segments D-SACKs reported received twice, each a spurious retransmission (RFC 2883 §4, RFC 3708;
     * Linux TCPDSACKRecvSegs).
     */
    DSACK_RECV_SEGS("TCPDSACKRecvSegs"),
    /**
     * D-SACKs ignored because they report more duplicates than were ever retransmitted (the network
     * duplicated data, or the peer misbehaves; Linux TCPDSACKIgnoredDubious).
     */
    DSACK_IGNORED_DUBIOUS("TCPDSACKIgnoredDubious"),
    /**
     * Retransmission timeouts found spurious and undone, by timestamps (Eifel, RFC 3522) or
     * D-SACKs (RFC 3708): cwnd and ssthresh restored, go-back-N stopped (RFC 4015; Linux TCPLossUndo).
     */
    LOSS_UNDO("TCPLossUndo"),
    /**
     * Fast recoveries found spurious by timestamps (Eifel, RFC 3522: the original was received) and
     * undone (Linux TCPFullUndo).
     */
    FULL_UNDO("TCPFullUndo"),
    /**
     * Fast recoveries undone because D-SACKs reported every retransmission of them received twice
     * (RFC 3708; Linux TCPDSACKUndo).
     */
    DSACK_UNDO("TCPDSACKUndo"),
    /**
     * Slow starts HyStart++ ended on a round-trip increase: Conservative Slow Start ran its rounds and
     * congestion avoidance followed (RFC 9406 §4.2; Linux's name for its HyStart delay exits).
     */
    HYSTART_DELAY_DETECT("TCPHystartDelayDetect"),
    /** The sum of cwnd, in segments, at those exits (Linux TCPHystartDelayCwnd). */
    HYSTART_DELAY_CWND("TCPHystartDelayCwnd"),
    /** Connections in TIME_WAIT now (Linux's {@code tw} of {@code /proc/net/sockstat}). */
    TIME_WAIT("TCPTimeWait"),
    /**
     * Connections closed without TIME_WAIT because the stack already held {@code maxTimeWait} of
     * them (Linux {@code tcp_max_tw_buckets}, counted under the same name).
     */
    TIME_WAIT_OVERFLOW("TCPTimeWaitOverflow"),
    /**
     * TIME_WAIT 4-tuples taken over by a new outgoing connection because timestamps made it safe
     * (RFC 6191; Linux {@code tcp_tw_reuse}, counted as TWRecycled).
     */
    TIME_WAIT_REUSED("TWRecycled"),
    /** Bytes held in all TCP buffers of the stack now. */
    MEMORY_BYTES("MemoryBytes");

    private final String displayName;

    TcpCounter(String displayName) {
        this.displayName = displayName;
    }

    @Override
    public String displayName() {
        return displayName;
    }
}
