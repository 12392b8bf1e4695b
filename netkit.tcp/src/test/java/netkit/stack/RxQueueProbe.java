package netkit.stack;

/** What TCP's tests read of a stack's receive queues and socket layer (same package: no API for tests only). */
public final class RxQueueProbe {
    private RxQueueProbe() {
    }

    /**
     * Batches {@code iface}'s receive queue has drained: {on its loop, on socket calls' threads, on
     * the link's receive thread}.
     */
    public static long[] batches(Stack s, String iface) {
        return s.receiveBatches(iface);
    }

    /** How many times {@code s} signalled readiness to its accept and select waiters. */
    public static long readinessSignals(Stack s) {
        return s.readinessSignals();
    }
}
