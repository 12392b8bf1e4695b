package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Random;
import netkit.api.time.SimulatedLoop;
import netkit.stack.Stack;
import netkit.stack.StackSettings;
import netkit.stack.testing.TestNet;
import org.junit.jupiter.api.Test;

/** Secrets (ISN and SYN-cookie keys) come from the stack's secure source, never from its seeded Random. */
class SecretSourceTest {
    private static final ConnectionKey KEY = new ConnectionKey(0x0a000001, 40000, 0x0a000002, 80);
    private final SimulatedLoop loop = new SimulatedLoop();

    private int isn(Stack s) {
        return ((TcpInstance) new TcpProtocol().attach(s.context())).isn(KEY);
    }

    @Test
    void sameSeedWithDefaultSecretsGivesDifferentIsns() {
        Stack a = new Stack("a", loop, StackSettings.defaults(), 7);
        Stack b = new Stack("b", loop, StackSettings.defaults(), 7);
        assertNotEquals(isn(a), isn(b), "RFC 6528: the ISN key is secret, not derived from the seed");
    }

    @Test
    void injectedSecretsReplay() {
        Stack a = new Stack("a", loop, StackSettings.defaults(), 7, TestNet.deterministicSecrets(99));
        Stack b = new Stack("b", loop, StackSettings.defaults(), 8, TestNet.deterministicSecrets(99));
        assertEquals(isn(a), isn(b));
    }

    @Test
    void timestampOffsetsAreKeyedHashesOfTheFourTuple() {
        TcpInstance a = (TcpInstance) new TcpProtocol().attach(
                new Stack("a", loop, StackSettings.defaults(), 7, TestNet.deterministicSecrets(99)).context());
        TcpInstance b = (TcpInstance) new TcpProtocol().attach(
                new Stack("b", loop, StackSettings.defaults(), 8, TestNet.deterministicSecrets(99)).context());
        TcpInstance c = (TcpInstance) new TcpProtocol().attach(
                new Stack("c", loop, StackSettings.defaults(), 7, TestNet.deterministicSecrets(98)).context());
        ConnectionKey other = new ConnectionKey(0x0a000001, 40001, 0x0a000002, 80);
        assertEquals(a.tsOffset(KEY), b.tsOffset(KEY), "same key, same 4-tuple");
        assertNotEquals(a.tsOffset(KEY), a.tsOffset(other), "another 4-tuple");
        assertNotEquals(a.tsOffset(KEY), c.tsOffset(KEY), "another key");
        assertNotEquals(a.tsOffset(KEY), a.isn(KEY) - (int) (loop.nanoTime() / 4000), "not the ISN key");
    }

    private TcpInstance attach(long seed, long secrets) {
        return (TcpInstance) new TcpProtocol().attach(
                new Stack("s", loop, StackSettings.defaults(), seed, TestNet.deterministicSecrets(secrets)).context());
    }

    /**
     * The SYN-cookie secret and the timestamp-offset key are functions of the secure source alone:
     * another seed changes nothing, another secure source everything; and no 32-byte window of the
     * seeded Random's first KiB of output, used as the key, reproduces either.
     */
    @Test
    void cookieAndTimestampKeysAreNotDerivableFromTheSeededRandom() {
        TcpInstance a = attach(7, 99);
        TcpInstance otherSeed = attach(8, 99);
        TcpInstance otherSecrets = attach(7, 98);
        int cookie = a.cookies().encode(KEY, 1000, 1460, 0);
        assertEquals(cookie, otherSeed.cookies().encode(KEY, 1000, 1460, 0), "the seed plays no part");
        assertNotEquals(cookie, otherSecrets.cookies().encode(KEY, 1000, 1460, 0), "the secure source does");
        assertEquals(a.tsOffset(KEY), otherSeed.tsOffset(KEY));
        assertNotEquals(a.tsOffset(KEY), otherSecrets.tsOffset(KEY));
        TcpInstance seeded7 = attach(7, 99);
        byte[] stream = new byte[1024];
        new Random(7).nextBytes(stream);
        int idx = (cookie >>> 24) & 7;
        for (int at = 0; at + 32 <= stream.length; at += 4) {
            KeyedHash guess = new KeyedHash(java.util.Arrays.copyOfRange(stream, at, at + 32));
            assertNotEquals(seeded7.tsOffset(KEY), guess.hash(KEY, 0, 0), "timestamp key from Random output " + at);
            assertNotEquals(cookie & 0xffffff, guess.hash(KEY, 1000, idx) & 0xffffff, "cookie key from output " + at);
        }
    }

    @Test
    void attachingTcpAndConnectingDrawsNothingFromTheSeededRandom() throws Exception {
        // TestNet seeds stack i with 1000 + i.
        TcpHarness h = new TcpHarness();
        h.pair(80);
        h.run(java.time.Duration.ofSeconds(1));
        assertEquals(new Random(1000).nextLong(), h.stack(0).context().random().nextLong(),
                "ports, IP IDs, ISNs, cookies and timestamp offsets all come from secureRandom()");
        assertEquals(new Random(1001).nextLong(), h.stack(1).context().random().nextLong());
    }
}
