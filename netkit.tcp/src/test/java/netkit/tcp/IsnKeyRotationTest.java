package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.time.SimulatedLoop;
import netkit.api.wire.Bytes;
import netkit.api.wire.TcpHeader;
import netkit.stack.Stack;
import netkit.stack.StackSettings;
import netkit.stack.testing.TestNet;
import org.junit.jupiter.api.Test;

/**
 * The ISN key (RFC 6528) and the SYN-cookie secret are rotated every {@code isnKeyRotationMinutes};
 * cookies of the previous secret are still taken, established connections and TIME_WAIT reuse are
 * not disturbed (the timestamp-offset key is not rotated, so timestamps carry RFC 6191's check).
 */
class IsnKeyRotationTest {
    private static final long MINUTE = 60_000_000_000L;
    private static final ConnectionKey KEY = new ConnectionKey(0x0a000001, 40000, 0x0a000002, 80);
    private final SimulatedLoop loop = new SimulatedLoop();

    private TcpInstance tcp(int rotationMinutes) {
        Stack s = new Stack("a", loop, StackSettings.defaults(), 7, TestNet.deterministicSecrets(99));
        return (TcpInstance) new TcpProtocol(TcpSettings.builder().isnKeyRotationMinutes(rotationMinutes).build())
                .attach(s.context());
    }

    /** The ISN function's keyed part now: the ISN minus the 4 µs clock. */
    private int keyed(TcpInstance t) {
        return t.isn(KEY) - (int) (loop.nanoTime() / 4000);
    }

    @Test
    void theIsnKeyChangesEveryInterval() {
        TcpInstance rotating = tcp(1);
        TcpInstance fixed = tcp(0);
        int first = keyed(rotating);
        int fixedFirst = keyed(fixed);
        loop.advance(Duration.ofSeconds(59));
        assertEquals(first, keyed(rotating), "within the interval: the same key");
        loop.advance(Duration.ofSeconds(2));
        assertNotEquals(first, keyed(rotating), "a new key after a minute");
        assertEquals(fixedFirst, keyed(fixed), "0: never rotated");
    }

    @Test
    void cookiesOfThePreviousSecretOnlyAreAccepted() {
        java.security.SecureRandom secrets = TestNet.deterministicSecrets(5);
        SynCookies cookies = new SynCookies(new RotatingKey(secrets, 0), () -> MINUTE);
        int cookie = cookies.encode(KEY, 1000, 1460, 0);
        assertEquals(1460, cookies.decode(KEY, 1000, cookie, 30_000_000_000L), "same key");
        assertEquals(1460, cookies.decode(KEY, 1000, cookie, 61_000_000_000L), "previous key");
        assertEquals(-1, cookies.decode(KEY, 1000, cookie, 121_000_000_000L),
                "two rotations later (still young enough by its counter): refused");
        SynCookies fixed = new SynCookies(new RotatingKey(secrets, 0), () -> 0);
        int c2 = fixed.encode(KEY, 1000, 1460, 0);
        assertEquals(1460, fixed.decode(KEY, 1000, c2, 121_000_000_000L), "control: no rotation, accepted");
    }

    /**
     * Established connections keep their sequence space across rotations; a client reusing its port
     * towards a server that holds the old incarnation in TIME_WAIT connects at once even when its
     * new ISN (new key) lies below the old one, because its timestamps keep growing (RFC 6191).
     */
    @Test
    void rotationBreaksNeitherConnectionsNorTimeWaitReuse() throws Exception {
        TcpHarness h = new TcpHarness(TcpSettings.builder().isnKeyRotationMinutes(1).msl(600_000).build());
        int[] live = h.pair(81);
        int l = h.listen(80, 16);
        int[] synSeq = new int[2];
        int backwards = 0;
        for (int port = 40000; port < 40008; port++) {
            int[] seqs = new int[2];
            for (int round = 0; round < 2; round++) {
                int[] seen = {0};
                int r = round;
                h.net.hub.segment("lan").filter((p, f) -> {
                    byte[] a = f.array();
                    int o = f.offset();
                    if ((p.mac() & 0xff) == 0 && f.length() > 54 && (a[o + 23] & 0xff) == 6
                            && (a[o + 47] & 0x3f) == TcpHeader.SYN) {
                        synSeq[r] = Bytes.get32(a, o + 38);
                        seen[0]++;
                    }
                    return true;
                });
                int c = h.a.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
                h.a.setsockopt(c, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
                h.a.bind(c, SockAddr.of(0, port));
                try {
                    h.a.connect(c, TcpHarness.addr(1, 80));
                } catch (ErrnoException e) {
                    assertEquals(Errno.EINPROGRESS, e.errno());
                }
                assertEquals(0, h.awaitConnect(c, Duration.ofMillis(500)), "connected at once");
                assertEquals(1, seen[0], "no SYN retransmitted");
                seqs[round] = synSeq[round];
                h.run(Duration.ofMillis(10));
                int s = h.b.accept(l).token();
                h.b.closesocket(s); // the server closes first: it holds TIME_WAIT (20 min)
                h.run(Duration.ofMillis(10));
                h.a.closesocket(c);
                h.run(Duration.ofSeconds(61)); // the key rotates
            }
            h.net.hub.segment("lan").filter(null);
            if (seqs[1] - seqs[0] < 0) {
                backwards++;
            }
        }
        assertTrue(backwards > 0, "some new ISN went below the old incarnation's");
        byte[] data = new byte[100_000];
        new java.util.Random(3).nextBytes(data);
        assertArrayEquals(data, h.transfer(h.a, live[0], h.b, live[1], data, Duration.ofSeconds(10)),
                "the connection opened before all rotations still works");
    }
}
