package netkit.stack.util;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import netkit.api.time.EventLoop;
import netkit.api.time.Timer;

/**
 * A stack's event loop paired with its one lock (lwIP's core lock): every task run through it runs
 * with the lock held, so layers that defer work need not take the lock themselves.
 */
public final class StackLoop {
    private final EventLoop loop;
    private final ReentrantLock lock;

    /** Tasks of {@code loop} run holding {@code lock}. */
    public StackLoop(EventLoop loop, ReentrantLock lock) {
        this.loop = loop;
        this.lock = lock;
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
        loop.execute(() -> locked(task));
    }

    /** Runs {@code task} on the loop after {@code delayNanos}, holding the stack lock. */
    public Timer schedule(long delayNanos, Runnable task) {
        return loop.schedule(delayNanos, () -> locked(task));
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
