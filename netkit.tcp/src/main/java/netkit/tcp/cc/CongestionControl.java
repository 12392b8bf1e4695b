package netkit.tcp.cc;

import java.util.List;
import java.util.Locale;

/**
 * A congestion controller (RFC 5681 framework): owns cwnd and ssthresh in bytes. Loss recovery
 * (fast retransmit, SACK, NewReno) is the connection's; the controller only decides sizes.
 */
public interface CongestionControl {
    /** Name for netstat. */
    String name();

    /** Congestion window in bytes. */
    long cwnd();

    /** Slow-start threshold in bytes. */
    long ssthresh();

    /** Sets cwnd directly (recovery inflation/deflation, RFC 6582). */
    void cwnd(long bytes);

    /** An RTT sample (ns) taken from an ACK of {@code ack}, SND.NXT being {@code sndNxt} (slow start's HyStart++). */
    default void rttSample(long rttNanos, long ack, long sndNxt) {
    }

    /** New data was acknowledged outside recovery. */
    void onAck(long ackedBytes, long nowNanos, long srttNanos);

    /** Entering fast recovery: sets ssthresh (and cwnd) for the reduction. */
    void onFastRetransmit(long flightBytes, long nowNanos);

    /** A retransmission timeout: ssthresh from the flight, cwnd to the loss window (RFC 5681 §3.1). */
    void onTimeout(long flightBytes, long nowNanos);

    /** Leaving recovery with a full ACK. */
    void onRecoveryEnd(long flightBytes);

    /**
     * The last reduction (fast retransmit or timeout) was spurious: cwnd and ssthresh go back to at
     * least {@code priorCwnd} and {@code priorSsthresh}, their values before it (RFC 4015 §3, Linux's
     * {@code tcp_undo_cwnd_reduction} with {@code tcp_reno_undo_cwnd}: the larger of now and then).
     */
    void undo(long priorCwnd, long priorSsthresh);

    /** The controllers' names, the default first. */
    List<String> NAMES = List.of("cubic", "reno");

    /** Creates a controller by name (see {@link #NAMES}, any case) for segments of {@code mss}. */
    static CongestionControl create(String name, int mss) {
        return create(name, mss, cwndSegments -> { });
    }

    /** The same, telling {@code exits} when HyStart++ ends slow start (for counters). */
    static CongestionControl create(String name, int mss, SlowStartExit exits) {
        return switch (checkName(name)) {
            case "reno" -> new Reno(mss, exits);
            default -> new Cubic(mss, exits);
        };
    }

    /** Told when HyStart++ ended slow start on a round-trip increase (RFC 9406 §4.2). */
    @FunctionalInterface
    interface SlowStartExit {
        /** Congestion avoidance follows Conservative Slow Start; cwnd is {@code cwndSegments} whole segments. */
        void hyStartExit(long cwndSegments);
    }

    /**
     * {@code name} in lower case.
     *
     * @throws IllegalArgumentException when no controller has that name
     */
    static String checkName(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (!NAMES.contains(n)) {
            throw new IllegalArgumentException("congestionControl \"" + name + "\" names no controller; valid: "
                    + String.join(", ", NAMES));
        }
        return n;
    }
}
