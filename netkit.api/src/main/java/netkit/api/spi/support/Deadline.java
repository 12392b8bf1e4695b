package netkit.api.spi.support;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.time.EventLoop;
import netkit.api.time.SimulatedLoop;
import netkit.api.time.Timer;

/**
 * The time limit of one blocking socket call (SO_RCVTIMEO, SO_SNDTIMEO, a blocking connect, a
 * lingering close, select), kept on the stack's {@link EventLoop} clock rather than the wall clock:
 * on a {@link SimulatedLoop} a timeout expires when simulated time reaches it, so tests of timeouts
 * take no wall time.
 *
 * <p>The caller holds the stack lock and loops: go on if it can, else {@link #await} a condition of
 * the stack lock; {@code await} returns false once the deadline has passed. The first wait
 * schedules one loop timer at the deadline that signals the condition being waited on (taking the
 * stack lock), so the caller is woken either by the condition's own signal or by that timer, never
 * by a wall-clock bound. {@link #close()} cancels the timer:
 *
 * <pre>{@code
 * try (Deadline d = Deadline.ofTimeoutOption(ctx.loop(), ctx.lock(), options.receiveTimeoutMillis())) {
 *     while (!ready()) {
 *         if (!d.await(changed)) {
 *             throw new ErrnoException(Errno.EWOULDBLOCK);
 *         }
 *     }
 * }
 * }</pre>
 *
 * Not thread-safe: one caller uses it, with the stack lock held.
 */
public final class Deadline implements AutoCloseable {
    private final EventLoop loop;
    private final ReentrantLock lock;
    private final boolean bounded;
    private final long at;
    private Timer timer;
    private Condition waitingOn; // guarded by lock: the timer signals it

    private Deadline(EventLoop loop, ReentrantLock lock, boolean bounded, long at) {
        this.loop = loop;
        this.lock = lock;
        this.bounded = bounded;
        this.at = at;
    }

    /** No limit: waits end only when the condition is signalled. */
    public static Deadline never(EventLoop loop, ReentrantLock lock) {
        return new Deadline(loop, lock, false, 0);
    }

    /** {@code nanos} of loop time from now; zero or less has already passed. */
    public static Deadline after(EventLoop loop, ReentrantLock lock, long nanos) {
        return new Deadline(loop, lock, true, loop.nanoTime() + Math.max(0, nanos));
    }

    /** The limit of a timeout option in milliseconds (SO_RCVTIMEO, SO_SNDTIMEO): 0 means none. */
    public static Deadline ofTimeoutOption(EventLoop loop, ReentrantLock lock, int millis) {
        return millis <= 0 ? never(loop, lock) : after(loop, lock, millis * 1_000_000L);
    }

    /** Whether the deadline has passed on the loop's clock (never for {@link #never}). */
    public boolean expired() {
        return bounded && loop.nanoTime() - at >= 0;
    }

    /**
     * Waits on {@code condition} (of the stack lock, which the caller holds) until it is signalled or
     * the deadline passes; returns at once when it has passed already. The caller re-checks what it
     * waits for either way (wake-ups may be spurious).
     *
     * @return false when the deadline had passed before the wait (nothing was waited)
     * @throws ErrnoException EINTR when the thread is interrupted (its interrupt flag set again)
     */
    public boolean await(Condition condition) throws ErrnoException {
        if (expired()) {
            return false;
        }
        if (bounded && timer == null) {
            timer = loop.schedule(at - loop.nanoTime(), this::wake);
        }
        waitingOn = condition;
        try {
            condition.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ErrnoException(Errno.EINTR);
        } finally {
            waitingOn = null;
        }
        return true;
    }

    /** The timer: wakes the caller so it sees the deadline has passed. Runs on the loop. */
    private void wake() {
        lock.lock();
        try {
            if (waitingOn != null) {
                waitingOn.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Cancels the loop timer, if one was scheduled. */
    @Override
    public void close() {
        if (timer != null) {
            timer.cancel();
        }
    }
}
