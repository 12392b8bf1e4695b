package netkit.tcp.cc;

/**
 * HyStart++ (RFC 9406): slow start ends when the round trip grows, before a queue overflows. Each
 * round (ended by an ACK beyond SND.NXT at its start) keeps its minimum RTT; once a round has
 * N_RTT_SAMPLE samples and its minimum exceeds the previous round's by RttThresh (1/8 of it, 4 to
 * 16 ms), Conservative Slow Start follows (growth divided by CSS_GROWTH_DIVISOR) for CSS_ROUNDS
 * rounds, then congestion avoidance; an RTT back below the baseline during CSS resumes slow start.
 * Only the first slow start uses it: it ends at the first loss.
 */
final class HyStartPlusPlus {
    static final long MIN_RTT_THRESH = 4_000_000L;
    static final long MAX_RTT_THRESH = 16_000_000L;
    static final int MIN_RTT_DIVISOR = 8;
    static final int N_RTT_SAMPLE = 8;
    static final int CSS_GROWTH_DIVISOR = 4;
    static final int CSS_ROUNDS = 5;
    private long windowEnd = -1;
    private long lastRoundMinRtt = Long.MAX_VALUE;
    private long currentRoundMinRtt = Long.MAX_VALUE;
    private long cssBaselineMinRtt = Long.MAX_VALUE;
    private int rttSampleCount;
    private boolean inCss;
    private int cssRounds;
    private boolean over;

    /** An RTT sample (ns) from an ACK of {@code ack} while SND.NXT is {@code sndNxt}, during slow start. */
    void sample(long rtt, long ack, long sndNxt) {
        if (over) {
            return;
        }
        if (windowEnd < 0 || ack > windowEnd) {
            lastRoundMinRtt = currentRoundMinRtt; // a new round (RFC 9406 §4.2)
            currentRoundMinRtt = Long.MAX_VALUE;
            rttSampleCount = 0;
            windowEnd = sndNxt;
            if (inCss) {
                cssRounds++;
            }
        }
        currentRoundMinRtt = Math.min(currentRoundMinRtt, rtt);
        rttSampleCount++;
        if (rttSampleCount < N_RTT_SAMPLE || currentRoundMinRtt == Long.MAX_VALUE) {
            return;
        }
        if (!inCss) {
            if (lastRoundMinRtt != Long.MAX_VALUE) {
                long thresh = Math.max(MIN_RTT_THRESH, Math.min(lastRoundMinRtt / MIN_RTT_DIVISOR, MAX_RTT_THRESH));
                if (currentRoundMinRtt >= lastRoundMinRtt + thresh) {
                    inCss = true;
                    cssBaselineMinRtt = currentRoundMinRtt;
                    cssRounds = 0;
                }
            }
        } else if (currentRoundMinRtt < cssBaselineMinRtt) {
            inCss = false; // the increase was spurious: back to slow start
            cssBaselineMinRtt = Long.MAX_VALUE;
        }
    }

    /** Slow start's growth for {@code bytes}: all of it, or a quarter in CSS. */
    long growth(long bytes) {
        return inCss ? bytes / CSS_GROWTH_DIVISOR : bytes;
    }

    /** Whether CSS has run its rounds: congestion avoidance is due (ssthresh = cwnd). */
    boolean avoidanceDue() {
        return inCss && cssRounds >= CSS_ROUNDS;
    }

    /** Slow start is over for good (a loss, or CSS became avoidance). */
    void end() {
        over = true;
        inCss = false;
    }
}
