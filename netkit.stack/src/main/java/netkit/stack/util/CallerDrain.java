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
 * <p>A call that waits for the answer to what it sent ({@link #enterAwaitingAnswer}: a {@code connect}
 * waiting for its SYN-ACK) runs its deferred work when it is about to block on a condition of its
 * stack lock, with the lock released ({@link StackLock}'s conditions return at once afterwards, a
 * spurious wake-up every caller re-checks). Frames the deferred work sends in turn to an idle queue
 * are deferred too and run next, up to {@link #MAX_RUNS} batches per call, so the handshake completes
 * on the calling thread (no nesting: one batch at a time, no stack lock held between them). Any other
 * call about to block ({@code recv} waiting for data, {@code send} for room) hands its deferred work
 * to the loops instead ({@link #beforeWait}): what it sent (a window update) makes the peer send
 * data, work that belongs on the peer's side, not on the thread that waits to read it.
 *
 * <p>Deferred work is never lost: what is left past {@link #MAX_RUNS} goes to its loop, as does a
 * queue whose lock is taken or whose batch leaves frames. Only the calling thread touches its own
 * state: no synchronization.
 */
public final class CallerDrain {
    /** Work a socket call took over from a stack's loop. */
    public interface Deferred {
        /** Runs on the calling thread after its socket call, with no stack lock held; never throws. */
        void runOnCaller();

        /** The caller will not run it (it is about to block): the work goes to its loop. */
        void toLoop();
    }

    /** Batches one socket call runs for other stacks (its own and those they send to in turn). */
    public static final int MAX_RUNS = 8;

    private static final ThreadLocal<CallerDrain> CURRENT = ThreadLocal.withInitial(CallerDrain::new);

    private int depth; // socket calls in progress on this thread (a call may nest another)
    private boolean awaitingAnswer; // the outermost call runs its deferred work before it waits
    private Deferred[] pending = new Deferred[4];
    private int count;

    private CallerDrain() {
    }

    /**
     * A socket call begins on this thread; pair it with {@link #exit()} in a {@code finally}. Called
     * without a stack lock held.
     */
    public static CallerDrain enter() {
        return enter(false);
    }

    /**
     * A socket call that waits for the answer to what it sends ({@code connect}) begins on this
     * thread: it runs its deferred work before it waits. Pair it with {@link #exit()} in a
     * {@code finally}. Called without a stack lock held.
     */
    public static CallerDrain enterAwaitingAnswer() {
        return enter(true);
    }

    private static CallerDrain enter(boolean awaitingAnswer) {
        CallerDrain d = CURRENT.get();
        if (d.depth++ == 0) {
            d.awaitingAnswer = awaitingAnswer;
        }
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
     * This thread, holding {@code lock}, is about to wait on one of its conditions: when its call
     * {@linkplain #enterAwaitingAnswer awaits an answer} and it has deferred work, it releases
     * {@code lock} (every hold), runs that work as after a call, takes {@code lock} again and returns
     * true; the caller then returns from its wait at once, as from a spurious wake-up, and re-checks
     * what it waits for. Otherwise false, the deferred work handed to the loops ({@link #beforeWait}).
     */
    static boolean runInsteadOfWaiting(java.util.concurrent.locks.ReentrantLock lock) {
        CallerDrain d = CURRENT.get();
        if (d.count == 0) {
            return false;
        }
        int holds = lock.getHoldCount();
        if (!d.awaitingAnswer || holds == 0) {
            beforeWait();
            return false;
        }
        for (int i = 0; i < holds; i++) {
            lock.unlock();
        }
        try {
            d.runPending();
        } finally {
            for (int i = 0; i < holds; i++) {
                lock.lock();
            }
        }
        return true;
    }

    /**
     * This thread is about to wait on a condition of a stack lock (holding that lock): everything it
     * deferred goes to the loops now, since what it waits for may depend on it.
     */
    static void beforeWait() {
        CallerDrain d = CURRENT.get();
        int n = d.count;
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

    /**
     * Runs the deferred work in order, and what that work defers in turn, up to {@link #MAX_RUNS};
     * the rest goes to the loops. No stack lock held.
     */
    private void runPending() {
        depth++; // frames the work sends to an idle queue are deferred: run after it, not nested in it
        int i = 0;
        try {
            for (; i < count && i < MAX_RUNS; i++) {
                Deferred w = pending[i];
                pending[i] = null;
                w.runOnCaller();
            }
        } finally {
            depth--;
            int n = count;
            count = 0;
            for (int k = i; k < n; k++) { // past the budget, or one threw despite its contract
                Deferred w = pending[k];
                pending[k] = null;
                if (w != null) {
                    w.toLoop();
                }
            }
        }
    }
}
