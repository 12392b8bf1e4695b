package netkit.tcp;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A keyed hash of a connection's 4-tuple and two more numbers: HMAC-SHA-256 (RFC 2104) under a
 * 256-bit key drawn once from a cryptographic source, truncated to 32 bits. The MAC is made once
 * and reused; not thread-safe (used under the stack lock).
 */
final class KeyedHash {
    private static final String ALGORITHM = "HmacSHA256";
    private final Mac mac;
    private final byte[] input = new byte[24];
    private final byte[] output = new byte[32];

    /** A hash under a fresh key from {@code secrets}. */
    KeyedHash(SecureRandom secrets) {
        this(draw(secrets));
    }

    /** A hash under {@code key} (tests try guessed keys with it). */
    KeyedHash(byte[] key) {
        try {
            mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** The first 32 bits of HMAC(key, local address, local port, remote address, remote port, a, b). */
    int hash(ConnectionKey k, int a, int b) {
        put(0, k.localAddress());
        put(4, k.localPort());
        put(8, k.remoteAddress());
        put(12, k.remotePort());
        put(16, a);
        put(20, b);
        mac.update(input);
        try {
            mac.doFinal(output, 0); // into a reused array: no allocation per hash
        } catch (javax.crypto.ShortBufferException e) {
            throw new IllegalStateException("an HMAC-SHA-256 is 32 bytes", e);
        }
        byte[] h = output;
        return (h[0] & 0xff) << 24 | (h[1] & 0xff) << 16 | (h[2] & 0xff) << 8 | h[3] & 0xff;
    }

    private static byte[] draw(SecureRandom secrets) {
        byte[] key = new byte[32];
        secrets.nextBytes(key);
        return key;
    }

    private void put(int at, int v) {
        input[at] = (byte) (v >>> 24);
        input[at + 1] = (byte) (v >>> 16);
        input[at + 2] = (byte) (v >>> 8);
        input[at + 3] = (byte) v;
    }
}
