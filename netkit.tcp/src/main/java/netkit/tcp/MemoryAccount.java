package netkit.tcp;

/**
 * Bytes held in all TCP send and receive buffers of one stack, against a global bound. Under
 * pressure, out-of-order data is refused, receive buffers stop growing and senders only queue into
 * empty send buffers, so a stack's memory stays bounded however many connections it carries.
 */
final class MemoryAccount {
    private long used;
    private long limit;

    MemoryAccount(long limit) {
        this.limit = limit;
    }

    void limit(long bytes) {
        limit = bytes;
    }

    void add(long delta) {
        used += delta;
    }

    long used() {
        return used;
    }

    boolean underPressure() {
        return used > limit;
    }
}
