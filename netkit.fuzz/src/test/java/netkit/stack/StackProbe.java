package netkit.stack;

/** What the fuzz oracle reads of a stack's internals (same package: no API for tests only). */
public final class StackProbe {
    private StackProbe() {
    }

    /** Heap charged to incomplete datagrams in reassembly, in bytes. */
    public static int reassemblyHeldBytes(Stack s) {
        s.lock().lock();
        try {
            return s.reassembler().heldBytes();
        } finally {
            s.lock().unlock();
        }
    }
}
