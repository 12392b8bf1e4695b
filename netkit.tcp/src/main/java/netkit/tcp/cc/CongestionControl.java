package netkit.tcp.cc;

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

    /** New data was acknowledged outside recovery. */
    void onAck(long ackedBytes, long nowNanos, long srttNanos);

    /** Entering fast recovery: sets ssthresh (and cwnd) for the reduction. */
    void onFastRetransmit(long flightBytes, long nowNanos);

    /** A retransmission timeout: ssthresh from the flight, cwnd to the loss window (RFC 5681 §3.1). */
    void onTimeout(long flightBytes, long nowNanos);

    /** Leaving recovery with a full ACK. */
    void onRecoveryEnd(long flightBytes);

    /** Creates a controller by name ({@code cubic}, {@code reno}) for segments of {@code mss}. */
    static CongestionControl create(String name, int mss) {
        return "reno".equalsIgnoreCase(name) ? new Reno(mss) : new Cubic(mss);
    }
}
