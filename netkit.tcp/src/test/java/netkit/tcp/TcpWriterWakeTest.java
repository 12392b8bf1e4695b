package netkit.tcp;

import static netkit.tcp.ScriptedReceiver.MSS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.TcpInfo;
import org.junit.jupiter.api.Test;

/**
 * A writer blocked on a full send buffer is woken once a third of it is free (or it is empty), as
 * Linux's {@code sk_stream_write_space} does (free space at least half of what is queued), not by
 * every ACK: on a bulk transfer each ACK frees two segments, and waking the writer for each cost a
 * thread switch and a turn of the stack lock per ACK.
 */
class TcpWriterWakeTest {
    private static final int SNDBUF = 42 * MSS;
    private final TcpHarness h = new TcpHarness();

    /** Bytes the socket holds: not yet sent plus sent and not acknowledged (nothing is resent here). */
    private long queued(ScriptedReceiver r) {
        TcpInfo i = h.stack(1).admin().sockets().stream().filter(s -> s.token() == r.token).findFirst()
                .orElseThrow().tcpInfo();
        return i.notSentBytes() + i.bytesSent() - i.bytesAcked();
    }

    @Test
    void aBlockedWriterWakesWhenAThirdOfTheBufferIsFreeNotOnEveryAck() throws Exception {
        ScriptedReceiver r = new ScriptedReceiver(h, 80, true, 65535);
        h.b.setsockopt(r.token, Net.SOL_SOCKET, Net.SO_SNDBUF, SNDBUF);
        h.b.setsockopt(r.token, Net.SOL_SOCKET, Net.SO_NONBLOCK, 0);
        int total = 3 * SNDBUF;
        CompletableFuture<Integer> writer = CompletableFuture.supplyAsync(() -> {
            try {
                return h.b.send(r.token, new byte[total], 0, total, 0);
            } catch (ErrnoException e) {
                throw new RuntimeException(e);
            }
        });
        waitFor(() -> queued(r) == SNDBUF, "the writer filled the buffer");
        r.awaitSegments(10, Duration.ofMillis(50)); // the initial window

        r.ack(2L * MSS); // an ACK of two segments: far less than a third of the buffer
        h.run(Duration.ofMillis(1));
        Thread.sleep(200); // time for a woken writer to refill
        assertEquals(SNDBUF - 2L * MSS, queued(r), "the writer still sleeps: two segments are not a third");

        r.ack(14L * MSS); // now a third is free
        h.run(Duration.ofMillis(1));
        waitFor(() -> queued(r) == SNDBUF, "woken once a third is free, the writer refilled the buffer");

        long acked = 14L * MSS;
        while (!writer.isDone()) { // acknowledge what is sent until the writer has handed over everything
            h.run(Duration.ofMillis(1));
            long sent = r.segs.isEmpty() ? 0 : r.segs.get(r.segs.size() - 1).end();
            if (sent > acked) {
                acked = sent;
                r.ack(acked);
            }
        }
        assertEquals(total, writer.get(1, TimeUnit.SECONDS));
    }

    private static void waitFor(java.util.function.BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 5 s: " + what);
            }
            Thread.sleep(5);
        }
    }
}
