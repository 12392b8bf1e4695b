package netkit.api;

import java.util.BitSet;

/**
 * A set of socket tokens for {@link SocketManager#select}: the Network Kit's {@code fd_set}
 * without the 32-socket limit. {@code select} rewrites it to the ready subset.
 */
public final class TokenSet {
    private final BitSet bits = new BitSet();

    /** An empty set. */
    public TokenSet() {
    }

    /** A set of the given tokens. */
    public static TokenSet of(int... tokens) {
        TokenSet s = new TokenSet();
        for (int t : tokens) {
            s.set(t);
        }
        return s;
    }

    /** FD_ZERO: removes every token. */
    public void zero() {
        bits.clear();
    }

    /** FD_SET: adds a token. */
    public void set(int token) {
        if (token < 0) {
            throw new IllegalArgumentException("negative token " + token);
        }
        bits.set(token);
    }

    /** FD_CLR: removes a token. */
    public void clear(int token) {
        if (token >= 0) {
            bits.clear(token);
        }
    }

    /** FD_ISSET: whether the token is in the set. */
    public boolean isSet(int token) {
        return token >= 0 && bits.get(token);
    }

    /** Number of tokens in the set. */
    public int size() {
        return bits.cardinality();
    }

    /** The tokens in ascending order. */
    public int[] tokens() {
        return bits.stream().toArray();
    }

    /** Replaces the contents with {@code other}'s. */
    public void copyFrom(TokenSet other) {
        bits.clear();
        bits.or(other.bits);
    }

    @Override
    public String toString() {
        return bits.toString();
    }
}
