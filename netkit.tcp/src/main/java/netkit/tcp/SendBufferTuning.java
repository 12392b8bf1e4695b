package netkit.tcp;

/**
 * Send-buffer auto-tuning (Linux's {@code tcp_sndbuf_expand}, called from {@code tcp_new_space} and
 * {@code tcp_init_buffer_space}): a connection whose application did not set SO_SNDBUF grows its send
 * buffer to twice its congestion window, at least ten segments (CUBIC's recovery needs 1.7 windows,
 * and the application may be slow to refill), up to {@link TcpSettings#maxSendBuffer()}; only while
 * the window is not full (the buffer, not the network, limits the sender) and not under memory
 * pressure. It never shrinks it. Without it a 64 KiB-segment link had four segments in flight: the
 * sender waited for ACKs with the window open.
 */
final class SendBufferTuning {
    /** Linux's {@code TCP_INIT_CWND}: the buffer holds at least this many segments twice. */
    private static final int MIN_SEGMENTS = 10;

    private SendBufferTuning() {
    }

    /** At establishment: room for the initial window twice over. */
    static void established(TcpConnection c) {
        grow(c);
    }

    /** An ACK freed room: grow while the congestion window is not what limits the sender. */
    static void spaceFreed(TcpConnection c) {
        if (c.recovery.pipe(c) < c.cc.cwnd()) {
            grow(c);
        }
    }

    private static void grow(TcpConnection c) {
        if (c.options.sendBufferSet() || c.tcp.underMemoryPressure()) {
            return;
        }
        long want = 2L * Math.max(c.cc.cwnd(), (long) MIN_SEGMENTS * c.mss);
        long target = Math.min(want, c.tcp.settings().maxSendBuffer());
        if (target > c.sendBuf.capacity()) {
            c.sendBuf.capacity((int) target);
        }
    }
}
