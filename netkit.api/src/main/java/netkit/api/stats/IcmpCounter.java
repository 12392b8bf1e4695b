package netkit.api.stats;

/**
 * ICMP counters: RFC 4293 icmpStatsTable (InMsgs, InErrors) and per-type counts named as RFC 2011
 * and Linux's {@code nstat} name them. The echo counters belong to the ICMP protocol; the IP layer
 * sends and receives ICMP errors itself (so those count even without the ICMP protocol) and counts
 * the error messages it receives in the In counters too, which add up with the protocol's.
 */
public enum IcmpCounter implements Counter {
    IN_MSGS("InMsgs"),
    IN_ERRORS("InErrors"),
    IN_CSUM_ERRORS("InCsumErrors"),
    IN_ECHOS("InEchos"),
    IN_ECHO_REPS("InEchoReps"),
    IN_DEST_UNREACHS("InDestUnreachs"),
    IN_TIME_EXCDS("InTimeExcds"),
    OUT_ECHOS("OutEchos"),
    OUT_ECHO_REPS("OutEchoReps"),
    OUT_DEST_UNREACHS("OutDestUnreachs"),
    OUT_TIME_EXCDS("OutTimeExcds"),
    /** Parameter Problems sent (RFC 792; a malformed IP option, RFC 1122 §3.2.2.5). */
    OUT_PARM_PROBS("OutParmProbs"),
    /** Errors not sent because of the rate limit (RFC 1812 §4.3.2.8). */
    OUT_RATE_LIMITED("OutRateLimited"),
    /** Errors not sent because RFC 1122 §3.2.2 forbids them (about broadcasts, fragments, ICMP errors). */
    OUT_SUPPRESSED("OutSuppressed"),
    /** ICMP messages sent by raw sockets ({@code SOCK_RAW}); their types also count in the Out counters. */
    RAW_OUT_MSGS("RawOutMsgs"),
    /** Copies of received ICMP datagrams queued on raw sockets (one per socket that took it). */
    RAW_IN_DELIVERS("RawInDelivers"),
    /** Copies a raw socket did not take because its receive queue was full (SO_RCVBUF). */
    RAW_RCVBUF_ERRORS("RawRcvbufErrors");

    private final String displayName;

    IcmpCounter(String displayName) {
        this.displayName = displayName;
    }

    @Override
    public String displayName() {
        return displayName;
    }
}
