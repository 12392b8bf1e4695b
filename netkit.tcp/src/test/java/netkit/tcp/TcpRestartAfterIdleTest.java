package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import netkit.api.Net;
import org.junit.jupiter.api.Test;

/**
 * Restart after idle (RFC 5681 §4.1): a connection that sent nothing for longer than an RTO starts
 * again from the initial window (10 segments, RFC 6928), not with the window it had grown to, so it
 * does not dump a large burst into a network it no longer knows.
 */
class TcpRestartAfterIdleTest {
    private final TcpHarness h = new TcpHarness();
    private int fromA;
    private boolean counting;

    TcpRestartAfterIdleTest() {
        h.net.hub.segment("lan").filter((port, frame) -> {
            byte[] f = frame.toByteArray();
            boolean tcp = f.length > 34 && f[12] == 0x08 && f[13] == 0 && f[23] == Net.IPPROTO_TCP;
            if (counting && tcp && (port.mac() & 0xff) == 0 && WireTap.dataLength(f) > 0) {
                fromA++;
            }
            return true;
        });
    }

    private int burst(int[] p, int bytes) throws Exception {
        fromA = 0;
        counting = true;
        h.a.send(p[0], new byte[bytes], 0, bytes, Net.MSG_DONTWAIT); // what goes out before any ACK
        counting = false;
        return fromA;
    }

    /** Sends {@code bytes} from A and reads them on B, moving time a millisecond at a time. */
    private void pump(int[] p, int bytes) throws Exception {
        byte[] buf = new byte[65536];
        int sent = 0;
        int got = 0;
        for (int step = 0; step < 100_000 && got < bytes; step++) {
            if (sent < bytes) {
                try {
                    sent += h.a.send(p[0], new byte[Math.min(65536, bytes - sent)], 0, Math.min(65536, bytes - sent),
                            Net.MSG_DONTWAIT);
                } catch (netkit.api.ErrnoException e) {
                    // full: wait
                }
            }
            while (true) {
                try {
                    got += h.b.recv(p[1], buf, 0, buf.length, Net.MSG_DONTWAIT);
                } catch (netkit.api.ErrnoException e) {
                    break;
                }
            }
            h.run(Duration.ofMillis(1));
        }
        assertTrue(got == bytes, "transferred " + got);
    }

    @Test
    void anIdleConnectionRestartsFromTheInitialWindow() throws Exception {
        int[] p = h.pair(7900);
        pump(p, 3_000_000); // grows the window
        int warm = burst(p, 100_000);
        assertTrue(warm > 10, "a grown window sends more than the initial window at once: " + warm);
        pump(p, 0);
        byte[] buf = new byte[65536];
        int got = 0;
        for (int i = 0; i < 1000 && got < 100_000; i++) {
            h.run(Duration.ofMillis(1));
            while (true) {
                try {
                    got += h.b.recv(p[1], buf, 0, buf.length, Net.MSG_DONTWAIT);
                } catch (netkit.api.ErrnoException e) {
                    break;
                }
            }
        }
        assertTrue(got == 100_000, "the burst arrived: " + got);
        h.run(Duration.ofSeconds(5)); // idle for longer than the RTO
        int cold = burst(p, 100_000);
        assertTrue(cold <= 10, "after idle, at most the initial window: " + cold);
    }
}
