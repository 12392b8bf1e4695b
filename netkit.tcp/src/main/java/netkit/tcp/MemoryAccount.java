package netkit.tcp;

/**
 * Memory held by all TCP connections of one stack, against a global bound: the capacity of every
 * received packet buffer kept (in order or out of order) and the length of every send ring, not
 * the data bytes in them, so many small segments cost what they really hold. Under pressure,
 * out-of-order data is refused, receive buffers stop growing and senders only queue into empty
 * send buffers, so a stack's memory stays bounded however many connections it carries.
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
