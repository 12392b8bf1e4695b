package netkit.stack.util;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import netkit.api.time.EventLoop;
import netkit.api.time.Timer;

/**
 * A stack's event loop paired with its one lock (lwIP's core lock): every task run through it runs
 * with the lock held, so layers that defer work need not take the lock themselves. A task (a timer
 * included) that throws an {@link Error} other than {@link StackOverflowError} (OutOfMemoryError,
 * LinkageError, ...) leaves the stack's state unknown: it is reported to the fatal handler, with
 * the lock still held, and rethrown to the loop, which logs it (as a received frame's does in
 * {@code RxQueue}).
 */
public final class StackLoop {
    private final EventLoop loop;
    private final ReentrantLock lock;
    private final Consumer<Error> fatal;

    /** Tasks of {@code loop} run holding {@code lock}; an unrecoverable error is only rethrown. */
    public StackLoop(EventLoop loop, ReentrantLock lock) {
        this(loop, lock, e -> { });
    }

    /** Tasks of {@code loop} run holding {@code lock}; an unrecoverable error goes to {@code fatal} first. */
    public StackLoop(EventLoop loop, ReentrantLock lock, Consumer<Error> fatal) {
        this.loop = loop;
        this.lock = lock;
        this.fatal = fatal;
    }

    /** The loop itself. */
    public EventLoop loop() {
        return loop;
    }

    /** The stack lock. */
    public ReentrantLock lock() {
        return lock;
    }

    /** The loop's clock in nanoseconds. */
    public long nanoTime() {
        return loop.nanoTime();
    }

    /** Runs {@code task} on the loop, soon, holding the stack lock. */
    public void execute(Runnable task) {
        loop.execute(() -> guarded(task));
    }

    /** Runs {@code task} on the loop after {@code delayNanos}, holding the stack lock. */
    public Timer schedule(long delayNanos, Runnable task) {
        return loop.schedule(delayNanos, () -> guarded(task));
    }

    private void guarded(Runnable task) {
        lock.lock();
        try {
            task.run();
        } catch (StackOverflowError e) {
            throw e; // a bug's deep recursion, not a broken stack: the loop logs it
        } catch (Error e) {
            fatal.accept(e);
            throw e;
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code task} on the calling thread and returns its result; takes the stack lock. */
    public <T> T locked(Supplier<T> task) {
        lock.lock();
        try {
            return task.get();
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code task} on the calling thread; takes the stack lock. */
    public void locked(Runnable task) {
        lock.lock();
        try {
            task.run();
        } finally {
            lock.unlock();
        }
    }
}
