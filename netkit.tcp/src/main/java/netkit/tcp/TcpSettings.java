package netkit.tcp;

/**
 * Tunables of TCP (PID {@code netkit.tcp} in OSGi). Times in milliseconds.
 *
 * @param mslMillis            maximum segment lifetime; TIME_WAIT lasts 2·MSL (RFC 9293 §3.4.2)
 * @param rtoMinMillis         lower bound of the retransmission timeout (RFC 6298 §2.4)
 * @param rtoMaxMillis         upper bound (RFC 6298 §2.5)
 * @param rtoInitialMillis     RTO before any RTT sample (RFC 6298 §2.1)
 * @param synRetries           SYN retransmissions before connect fails with ETIMEDOUT (5: after 63 s)
 * @param dataRetries          retransmissions of data before the connection is dropped
 * @param delayedAckMillis     delayed-ACK timeout (RFC 1122 §4.2.3.2: at most 500); 40 by default, like
 *                             Linux, so that it stays well below the 200 ms RTO floor (no spurious timeouts)
 * @param keepIdleSeconds      idle time before the first keepalive probe (RFC 1122 §4.2.3.6: 2 h)
 * @param keepIntervalSeconds  time between probes
 * @param keepCount            unanswered probes before the connection is dropped
 * @param finWait2Millis       how long an orphaned connection waits in FIN_WAIT_2
 * @param synQueue             half-open connections per listener before SYN cookies are used
 * @param synCookies           whether SYN cookies are used when the SYN queue is full (RFC 4987)
 * @param challengeAcksPerSecond RFC 5961 §7 challenge ACK limit
 * @param congestionControl    {@code cubic} (default) or {@code reno}
 * @param maxReceiveBuffer     receive-buffer auto-tuning ceiling
 * @param memoryLimit          bytes all TCP buffers of a stack may hold before memory pressure
 */
public record TcpSettings(long mslMillis, long rtoMinMillis, long rtoMaxMillis, long rtoInitialMillis, int synRetries,
        int dataRetries, long delayedAckMillis, int keepIdleSeconds, int keepIntervalSeconds, int keepCount,
        long finWait2Millis, int synQueue, boolean synCookies, int challengeAcksPerSecond, String congestionControl,
        int maxReceiveBuffer, long memoryLimit) {

    /** Linux-like defaults. */
    public static TcpSettings defaults() {
        return new TcpSettings(30_000, 200, 120_000, 1_000, 5, 15, 40, 7200, 75, 9, 60_000, 256, true, 1000,
                "cubic", 16 << 20, 256L << 20);
    }

    /** A copy with another MSL. */
    public TcpSettings withMsl(long ms) {
        return new TcpSettings(ms, rtoMinMillis, rtoMaxMillis, rtoInitialMillis, synRetries, dataRetries,
                delayedAckMillis, keepIdleSeconds, keepIntervalSeconds, keepCount, finWait2Millis, synQueue,
                synCookies, challengeAcksPerSecond, congestionControl, maxReceiveBuffer, memoryLimit);
    }

    /** A copy with another congestion control. */
    public TcpSettings withCongestionControl(String cc) {
        return new TcpSettings(mslMillis, rtoMinMillis, rtoMaxMillis, rtoInitialMillis, synRetries, dataRetries,
                delayedAckMillis, keepIdleSeconds, keepIntervalSeconds, keepCount, finWait2Millis, synQueue,
                synCookies, challengeAcksPerSecond, cc, maxReceiveBuffer, memoryLimit);
    }

    /** A copy with another SYN queue bound and cookie policy. */
    public TcpSettings withSynQueue(int n, boolean cookies) {
        return new TcpSettings(mslMillis, rtoMinMillis, rtoMaxMillis, rtoInitialMillis, synRetries, dataRetries,
                delayedAckMillis, keepIdleSeconds, keepIntervalSeconds, keepCount, finWait2Millis, n, cookies,
                challengeAcksPerSecond, congestionControl, maxReceiveBuffer, memoryLimit);
    }

    /** A copy with another challenge ACK limit. */
    public TcpSettings withChallengeAcks(int perSecond) {
        return new TcpSettings(mslMillis, rtoMinMillis, rtoMaxMillis, rtoInitialMillis, synRetries, dataRetries,
                delayedAckMillis, keepIdleSeconds, keepIntervalSeconds, keepCount, finWait2Millis, synQueue,
                synCookies, perSecond, congestionControl, maxReceiveBuffer, memoryLimit);
    }

    /** A copy with another global memory bound. */
    public TcpSettings withMemoryLimit(long bytes) {
        return new TcpSettings(mslMillis, rtoMinMillis, rtoMaxMillis, rtoInitialMillis, synRetries, dataRetries,
                delayedAckMillis, keepIdleSeconds, keepIntervalSeconds, keepCount, finWait2Millis, synQueue, synCookies,
                challengeAcksPerSecond, congestionControl, maxReceiveBuffer, bytes);
    }

    /** A copy with another minimum RTO. */
    public TcpSettings withRtoMin(long ms) {
        return new TcpSettings(mslMillis, ms, rtoMaxMillis, rtoInitialMillis, synRetries, dataRetries,
                delayedAckMillis, keepIdleSeconds, keepIntervalSeconds, keepCount, finWait2Millis, synQueue, synCookies,
                challengeAcksPerSecond, congestionControl, maxReceiveBuffer, memoryLimit);
    }

    /** A copy with another delayed-ACK timeout. */
    public TcpSettings withDelayedAck(long ms) {
        return new TcpSettings(mslMillis, rtoMinMillis, rtoMaxMillis, rtoInitialMillis, synRetries, dataRetries, ms,
                keepIdleSeconds, keepIntervalSeconds, keepCount, finWait2Millis, synQueue, synCookies,
                challengeAcksPerSecond, congestionControl, maxReceiveBuffer, memoryLimit);
    }
}
