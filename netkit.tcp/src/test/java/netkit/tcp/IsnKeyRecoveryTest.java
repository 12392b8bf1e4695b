package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.Random;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.wire.Bytes;
import netkit.api.wire.TcpHeader;
import org.junit.jupiter.api.Test;

/**
 * The ISN-key recovery attack of issue #10 ("Predictable sequence numbers"), replayed. The stack
 * used to draw its RFC 6528 key (32 bytes) from its seeded {@code java.util.Random}, a 48-bit LCG,
 * and then send each connection's next {@code nextInt()} on the wire as its timestamp offset. An
 * attacker who sees three SYN-ACKs has three consecutive outputs (TSval minus the clock), finds the
 * 16 hidden bits of the LCG state by brute force, steps the generator back to the key and computes
 * the ISN of any 4-tuple: a blind handshake from a spoofed address (RFC 9293 MUST-9 violated).
 * The attack is run against a model of the old scheme (it must succeed there, so the attacker is
 * real) and against the stack (it must fail).
 */
class IsnKeyRecoveryTest {
    private static final long MULTIPLIER = 0x5DEECE66DL;
    private static final long ADDEND = 0xBL;
    private static final long MASK = (1L << 48) - 1;
    private static final long INVERSE = BigInteger.valueOf(MULTIPLIER).modInverse(BigInteger.ONE.shiftLeft(48)).longValue();
    private static final int B = 0x0a000002;

    /** The old scheme: key and then timestamp offsets from one seeded Random; SHA-256 ISN function. */
    static final class OldScheme {
        final Random random;
        final byte[] secret = new byte[32];

        OldScheme(long seed) {
            random = new Random(seed);
            random.nextBytes(secret);
        }

        int nextTsOffset() {
            return random.nextInt();
        }

        static int isn(byte[] secret, ConnectionKey k, long nowNanos) {
            try {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                md.update(secret);
                md.update(ByteBuffer.allocate(24).putInt(k.localAddress()).putInt(k.localPort())
                        .putInt(k.remoteAddress()).putInt(k.remotePort()).putInt(0x6528).putInt(0).array());
                return (int) (nowNanos / 4000) + ByteBuffer.wrap(md.digest()).getInt();
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * The attacker: the LCG state that produced {@code o1}, {@code o2}, {@code o3} as consecutive
     * {@code nextInt()} outputs (each known up to ±{@code slack} for clock uncertainty), found by
     * trying the 2^16 hidden low bits.
     */
    static OptionalLong recoverState(int[] observed, int slack) {
        for (int d1 = -slack; d1 <= slack; d1++) {
            for (int d2 = -slack; d2 <= slack; d2++) {
                for (int d3 = -slack; d3 <= slack; d3++) {
                    long high = (observed[0] + d1) & 0xffffffffL;
                    for (long low = 0; low < 1 << 16; low++) {
                        long s1 = high << 16 | low;
                        long s2 = (s1 * MULTIPLIER + ADDEND) & MASK;
                        if ((int) (s2 >>> 16) != observed[1] + d2) {
                            continue;
                        }
                        long s3 = (s2 * MULTIPLIER + ADDEND) & MASK;
                        if ((int) (s3 >>> 16) == observed[2] + d3) {
                            return OptionalLong.of(s1);
                        }
                    }
                }
            }
        }
        return OptionalLong.empty();
    }

    /** The key drawn right before the output made from state {@code s1}: 8 nextInt() calls back. */
    static byte[] keyBefore(long s1) {
        long s = s1;
        for (int i = 0; i < 9; i++) {
            s = ((s - ADDEND) * INVERSE) & MASK; // one LCG step back
        }
        Random r = new Random(s ^ MULTIPLIER); // setSeed scrambles with the multiplier
        byte[] key = new byte[32];
        r.nextBytes(key);
        return key;
    }

    @Test
    void theAttackerBreaksTheOldScheme() {
        OldScheme old = new OldScheme(1001);
        int[] offsets = {old.nextTsOffset(), old.nextTsOffset(), old.nextTsOffset()};
        OptionalLong state = recoverState(offsets, 0);
        assertTrue(state.isPresent(), "three outputs give the LCG state");
        ConnectionKey spoofed = new ConnectionKey(B, 80, 0x0a0000aa, 50000);
        long now = 123_456_789_000L;
        assertEquals(OldScheme.isn(old.secret, spoofed, now), OldScheme.isn(keyBefore(state.getAsLong()), spoofed, now),
                "the ISN of a spoofed 4-tuple is predicted");
    }

    /** SYN-ACK of stack B to a SYN with timestamps from the raw peer's {@code port}: [ISN, TSval, ms at arrival]. */
    private static int[] synAck(TcpHarness h, RawPeer peer, int port) {
        int[] got = new int[3];
        boolean[] seen = {false};
        peer.onSegment = s -> {
            if ((s[13] & 0x3f) != (TcpHeader.SYN | TcpHeader.ACK)) {
                return;
            }
            got[0] = Bytes.get32(s, 4);
            int hl = ((s[12] & 0xff) >>> 4) * 4;
            for (int i = 20; i < hl && s[i] != 0;) {
                if (s[i] == 1) {
                    i++;
                    continue;
                }
                if (s[i] == 8) {
                    got[1] = Bytes.get32(s, i + 2);
                }
                i += s[i + 1] & 0xff;
            }
            got[2] = (int) (h.net.loop.nanoTime() / 1_000_000L);
            seen[0] = true;
        };
        byte[] opts = java.util.Arrays.copyOf(RawPeer.mss(1460), 16);
        System.arraycopy(RawPeer.timestamps(1, 0), 0, opts, 4, 12);
        peer.send(port, 80, 1000, 0, TcpHeader.SYN, 65535, opts, 0);
        h.run(Duration.ofMillis(5));
        assertTrue(seen[0], "SYN-ACK with timestamps");
        return got;
    }

    @Test
    void theAttackFailsAgainstTheStack() throws Exception {
        TcpHarness h = new TcpHarness(); // stack B is seeded 1001
        int l = h.listen(80, 16);
        RawPeer peer = new RawPeer(h);
        int[] offsets = new int[3];
        for (int i = 0; i < 3; i++) {
            int[] sa = synAck(h, peer, 40001 + i);
            offsets[i] = sa[1] - sa[2]; // TSval minus the clock in ms
            peer.send(40001 + i, 80, 1001, 0, TcpHeader.RST, 0, new byte[0], 0);
            h.run(Duration.ofMillis(100));
        }
        assertTrue(recoverState(offsets, 2).isEmpty(),
                "timestamp offsets are no consecutive outputs of an LCG, even allowing ±2 ms of clock");
        for (int i = 0; i < 3; i++) {
            Random seeded = new Random(1001);
            for (int k = 0; k < 4096; k++) {
                assertNotEquals(seeded.nextInt(), offsets[i], "a timestamp offset is a raw output of the seeded Random");
            }
        }
        // Best remaining guess: the old key from the stack's (known) seed.
        ConnectionKey spoofed = new ConnectionKey(B, 80, RawPeer.IP, 50000);
        long now = h.net.loop.nanoTime();
        int predicted = OldScheme.isn(new OldScheme(1001).secret, spoofed, now);
        int actual = synAck(h, peer, 50000)[0];
        assertNotEquals(predicted, actual, "the ISN of a spoofed 4-tuple is not predicted");
        peer.send(50000, 80, 1001, predicted + 1, TcpHeader.ACK, 65535, new byte[0], 0);
        h.run(Duration.ofMillis(10));
        ErrnoException e = assertThrows(ErrnoException.class, () -> h.b.accept(l));
        assertEquals(Errno.EWOULDBLOCK, e.errno(), "the blind handshake does not complete");
    }
}
