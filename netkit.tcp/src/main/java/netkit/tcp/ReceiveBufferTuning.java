package netkit.tcp;

/**
 * Receive-buffer auto-tuning of one connection (like Linux's receive-buffer moderation): when the
 * data delivered in one round trip fills more than half the buffer, the buffer doubles, up to
 * {@code maxReceiveBuffer} and not under memory pressure. Off when the application set SO_RCVBUF.
 */
final class ReceiveBufferTuning {
    private long periodStart;
    private long bytesInPeriod;

    /** {@code bytes} more arrived in order on {@code c}. */
    void delivered(TcpConnection c, long bytes) {
        if (c.options.receiveBufferSet() || bytes <= 0) {
            return;
        }
        TcpSettings settings = c.tcp.settings();
        long now = c.now();
        long rtt = Math.max(c.rtt.srtt(), 1_000_000L);
        bytesInPeriod += bytes;
        if (now - periodStart >= rtt) {
            if (bytesInPeriod * 2 > c.recvBuf.capacity() && c.recvBuf.capacity() < settings.maxReceiveBuffer()
                    && !c.tcp.underMemoryPressure()) {
                c.recvBuf.capacity(Math.min(settings.maxReceiveBuffer(), c.recvBuf.capacity() * 2));
            }
            periodStart = now;
            bytesInPeriod = 0;
        }
    }
}
