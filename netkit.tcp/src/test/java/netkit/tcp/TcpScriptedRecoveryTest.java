package netkit.tcp;

import static netkit.tcp.ScriptedReceiver.MSS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import netkit.api.spi.impair.Impairment;
import netkit.api.stats.TcpCounter;
import org.junit.jupiter.api.Test;

/**
 * Loss recovery of a netkit sender (stack 1) driven by ACK patterns a {@link ScriptedReceiver}
 * writes, on a wire with 5 ms each way (RTT 10 ms).
 */
class TcpScriptedRecoveryTest {
    private final TcpHarness h = new TcpHarness();

    TcpScriptedRecoveryTest() {
        h.net.hub.segment("lan").impairment(new Impairment(0, 0, 0, 0, 5000, 0, 0, 1));
    }

    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    private netkit.api.TcpInfo info(ScriptedReceiver r) {
        return h.stack(1).admin().sockets().stream().filter(s -> s.token() == r.token).findFirst().orElseThrow()
                .tcpInfo();
    }

    /**
     * RFC 3042 without SACK: the first and second duplicate ACKs each send one new segment (cwnd
     * unchanged), the third starts fast retransmit; ssthresh leaves out what limited transmit sent
     * (RFC 5681 §3.2 step 2).
     */
    @Test
    void limitedTransmitSendsANewSegmentOnEachOfTheFirstTwoDuplicateAcksWithoutSack() throws Exception {
        ScriptedReceiver r = new ScriptedReceiver(h, 80, false, 65535);
        r.write(40 * MSS);
        r.awaitSegments(10, ms(50)); // the initial window
        r.ack(0); // segment 0 lost: duplicate ACKs
        r.awaitSegments(11, ms(50));
        assertEquals(10L * MSS, r.segs.get(10).seq(), "first duplicate ACK: one new segment");
        r.ack(0);
        r.awaitSegments(12, ms(50));
        assertEquals(11L * MSS, r.segs.get(11).seq(), "second duplicate ACK: one new segment");
        h.run(ms(30));
        assertEquals(12, r.segs.size(), "one new segment per duplicate ACK, no more");
        r.ack(0);
        r.awaitSegments(13, ms(50));
        h.run(ms(30));
        assertEquals(List.of(0L), r.since(12).stream().map(ScriptedReceiver.Seg::seq).toList(),
                "the third: fast retransmit of the hole and nothing new");
        assertEquals(1, h.counter(1, TcpCounter.FAST_RETRANSMITS));
        assertEquals(7 * MSS, info(r).sndSsthreshBytes(), "CUBIC's β × the 10 segments before limited transmit");
    }

    /** Limited transmit sends only what the peer's window allows (RFC 3042 §2). */
    @Test
    void limitedTransmitStaysWithinTheReceiveWindow() throws Exception {
        ScriptedReceiver r = new ScriptedReceiver(h, 80, false, 10 * MSS);
        r.write(40 * MSS);
        r.awaitSegments(10, ms(50));
        r.ack(0);
        h.run(ms(1));
        r.ack(0);
        h.run(ms(30));
        assertEquals(10, r.segs.size(), "the window is full: nothing new");
    }

    /**
     * With SACK the pipe of RFC 6675 gives limited transmit by itself: each ACK SACKing one more
     * segment takes it out of the pipe, so one new segment goes (RFC 6675 §5, RFC 3042).
     */
    @Test
    void withSackThePipeSendsANewSegmentPerDuplicateAck() throws Exception {
        ScriptedReceiver r = new ScriptedReceiver(h, 80, true, 65535);
        r.write(40 * MSS);
        r.awaitSegments(10, ms(50));
        r.ack(0, MSS, 2 * MSS);
        h.run(ms(1)); // within RACK's reordering window (min_RTT/4), no loss deemed yet
        r.ack(0, MSS, 3 * MSS);
        r.awaitSegments(12, ms(50));
        assertEquals(10L * MSS, r.segs.get(10).seq());
        assertEquals(11L * MSS, r.segs.get(11).seq(), "both sent before RACK's reordering timer deemed segment 0 lost");
    }

    /**
     * RFC 8985 §7.2 and Linux's {@code tcp_schedule_loss_probe} (which requires
     * {@code tcp_is_sack}): without SACK no tail loss probe is sent; a lost last segment waits for
     * the retransmission timeout (RFC 6298), as on Linux.
     */
    @Test
    void withoutSackNoTailLossProbeIsSent() throws Exception {
        ScriptedReceiver r = new ScriptedReceiver(h, 80, false, 65535);
        r.write(3 * MSS);
        r.awaitSegments(3, ms(50));
        long lastSent = r.segs.get(2).at();
        r.ack(2 * MSS); // the last segment is lost
        r.awaitSegments(4, ms(2000));
        ScriptedReceiver.Seg again = r.segs.get(3);
        assertEquals(2L * MSS, again.seq());
        assertEquals(0, h.counter(1, TcpCounter.LOSS_PROBES), "no probe without SACK");
        assertEquals(1, h.counter(1, TcpCounter.TIMEOUTS), "the RTO resent it");
        assertTrue(again.at() - lastSent >= 200_000_000L, "not before the RTO: " + (again.at() - lastSent));
    }
}
