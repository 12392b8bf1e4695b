package netkit.tcp;

/** Connection states (RFC 9293 §3.3.2). */
enum TcpState {
    CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK,
    TIME_WAIT;

    /** Whether the handshake is done (a "synchronized" state). */
    boolean synchronizedState() {
        return ordinal() >= ESTABLISHED.ordinal();
    }

    /** Whether data may still arrive from the peer. */
    boolean receivesData() {
        return this == ESTABLISHED || this == FIN_WAIT_1 || this == FIN_WAIT_2;
    }

    /** Whether the application may still send. */
    boolean sendsData() {
        return this == ESTABLISHED || this == CLOSE_WAIT;
    }
}
