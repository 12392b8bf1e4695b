package netkit.api;

/** The result of {@link SocketManager#accept}: the new accept socket's token and the client's address. */
public final class Accepted {
    private final int token;
    private final SockAddr client;

    /** A result for {@code token} connected to {@code client}. */
    public Accepted(int token, SockAddr client) {
        this.token = token;
        this.client = client;
    }

    /** The accept socket's token; close it with {@link SocketManager#closesocket}. */
    public int token() {
        return token;
    }

    /** The client's interface (address and port). */
    public SockAddr client() {
        return client;
    }

    @Override
    public String toString() {
        return token + " <- " + client;
    }
}
