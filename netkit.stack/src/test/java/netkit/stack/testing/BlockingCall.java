package netkit.stack.testing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import netkit.api.ErrnoException;
import netkit.stack.Stack;

/**
 * A socket call that blocks, run on its own thread while the test thread drives the stack's
 * simulated loop. The test waits with {@link #awaitBlocked} until the call is parked on a condition
 * of the stack lock, moves simulated time, then reads what the call returned or threw and the loop
 * time at which it returned.
 */
public final class BlockingCall<T> {
    /** The call. */
    @FunctionalInterface
    public interface Call<T> {
        T call() throws ErrnoException;
    }

    private static final long WALL_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Stack stack;
    private final Thread thread;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile T value;
    private volatile ErrnoException failure;
    private volatile long returnedAt;

    private BlockingCall(Stack stack, Call<T> call) {
        this.stack = stack;
        this.thread = new Thread(() -> {
            try {
                value = call.call();
            } catch (ErrnoException e) {
                failure = e;
            } finally {
                returnedAt = stack.context().loop().nanoTime();
                done.countDown();
            }
        }, "blocking-call");
        thread.setDaemon(true);
    }

    /** Starts {@code call} on its own thread; it should block on {@code stack}. */
    public static <T> BlockingCall<T> start(Stack stack, Call<T> call) {
        BlockingCall<T> c = new BlockingCall<>(stack, call);
        c.thread.start();
        return c;
    }

    /**
     * Waits (wall time, at most 5 s) until the call is parked on a condition of the stack lock: not
     * running and not queued for the lock. Fails when the call returned instead.
     */
    public void awaitBlocked() {
        if (settle()) {
            throw new AssertionError("the call returned instead of blocking: " + describe());
        }
    }

    /**
     * Waits (wall time, at most 5 s) until the call has returned or is parked on a condition of the
     * stack lock, so the test can move simulated time knowing where the call is. A thread woken but
     * briefly parked elsewhere (say, on a class being initialized) may look parked: a test that steps
     * time until the call returns can see it return one step late, so it should check a range, not an
     * exact time.
     *
     * @return whether the call has returned
     */
    public boolean settle() {
        ReentrantLock lock = stack.context().lock();
        long end = System.nanoTime() + WALL_LIMIT_NANOS;
        while (thread.getState() != Thread.State.WAITING || lock.hasQueuedThread(thread)) {
            if (done()) {
                return true;
            }
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("the call neither returned nor blocked; thread state " + thread.getState());
            }
            Thread.onSpinWait();
        }
        return done();
    }

    /** Interrupts the call's thread. */
    public void interrupt() {
        thread.interrupt();
    }

    /** Whether the call has returned (or thrown). */
    public boolean done() {
        return done.getCount() == 0;
    }

    /** Waits (wall time, at most 5 s) for the call to return; its value, or its exception rethrown. */
    public T join() throws ErrnoException {
        awaitDone();
        if (failure != null) {
            throw failure;
        }
        return value;
    }

    /** Waits (wall time, at most 5 s) for the call to end with an exception; returns it. */
    public ErrnoException joinFailure() {
        awaitDone();
        if (failure == null) {
            throw new AssertionError("the call returned " + value + " instead of failing");
        }
        return failure;
    }

    /** The loop time at which the call returned. */
    public long returnedAt() {
        awaitDone();
        return returnedAt;
    }

    private void awaitDone() {
        try {
            if (!done.await(WALL_LIMIT_NANOS, TimeUnit.NANOSECONDS)) {
                throw new AssertionError("the call is still blocked; thread state " + thread.getState());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private String describe() {
        return failure != null ? failure.toString() : String.valueOf(value);
    }
}
