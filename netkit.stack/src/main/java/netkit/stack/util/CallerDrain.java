package netkit.stack.util;

/**
 * Receive processing on the thread of a socket call, as the kernel runs softirq work on the sending
 * thread. A socket call of stack A that sends a frame to another stack B in this JVM (the {@code pair}
 * link, or A's own {@code lo0}) would wake B's loop to process it, and the loop would wake B's
 * application: two thread hand-offs where one is needed. Instead, while the call runs, a receive queue
 * whose loop is idle may be {@linkplain #defer deferred} here; when the call returns, with no stack lock
 * held, the calling thread {@linkplain Deferred#runOnCaller runs} one batch of each deferred queue
 * itself (taking B's lock with {@code tryLock}, so it never waits on a lock and never holds two).
 *
 * <p>Deferred work is never lost: a caller about to block on a condition of a stack lock (a
 * {@link StackLock} calls {@link #beforeWait}) hands it to its loop first, as does a queue whose lock
 * is taken or whose batch leaves frames. Only the calling thread touches its own state: no
 * synchronization.
 */
public final class CallerDrain {
    /** Work a socket call took over from a stack's loop. */
    public interface Deferred {
        /** Runs on the calling thread after its socket call, with no stack lock held; never throws. */
        void runOnCaller();

        /** The caller will not run it (it is about to block): the work goes to its loop. */
        void toLoop();
    }

    private static final ThreadLocal<CallerDrain> CURRENT = ThreadLocal.withInitial(CallerDrain::new);

    private int depth; // socket calls in progress on this thread (a call may nest another)
    private Deferred[] pending = new Deferred[4];
    private int count;

    private CallerDrain() {
    }

    /**
     * A socket call begins on this thread; pair it with {@link #exit()} in a {@code finally}. Called
     * without a stack lock held.
     */
    public static CallerDrain enter() {
        CallerDrain d = CURRENT.get();
        d.depth++;
        return d;
    }

    /**
     * The socket call that {@link #enter() entered} ends: the outermost one runs what was deferred
     * during it. Called without a stack lock held.
     */
    public void exit() {
        if (--depth == 0 && count > 0) {
            runPending();
        }
    }

    /**
     * Takes {@code work} over for the socket call running on this thread, if one is; false when none
     * is (a loop's thread, a link's thread), so the caller schedules it on its loop as usual.
     */
    public static boolean defer(Deferred work) {
        CallerDrain d = CURRENT.get();
        if (d.depth == 0) {
            return false;
        }
        if (d.count == d.pending.length) {
            d.pending = java.util.Arrays.copyOf(d.pending, d.count * 2);
        }
        d.pending[d.count++] = work;
        return true;
    }

    /**
     * This thread is about to wait on a condition of a stack lock (holding that lock): everything it
     * deferred goes to the loops now, since what it waits for may depend on it.
     */
    public static void beforeWait() {
        CallerDrain d = CURRENT.get();
        int n = d.count;
        if (n == 0) {
            return;
        }
        d.count = 0;
        for (int i = 0; i < n; i++) {
            Deferred w = d.pending[i];
            d.pending[i] = null;
            w.toLoop();
        }
    }

    /** How many works are deferred on this thread now (tests). */
    public static int pendingOnThisThread() {
        return CURRENT.get().count;
    }

    private void runPending() {
        // The depth is 0: frames the deferred work sends are scheduled on their loops, not deferred
        // again (no receive processing nested in the processing of another stack's input).
        int n = count;
        count = 0;
        int i = 0;
        try {
            for (; i < n; i++) {
                Deferred w = pending[i];
                pending[i] = null;
                w.runOnCaller();
            }
        } finally {
            for (i++; i < n; i++) { // only if one threw despite its contract: the rest still run
                Deferred w = pending[i];
                pending[i] = null;
                w.toLoop();
            }
        }
    }
}
