package netkit.stack.util;

import java.util.Collection;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A stack's lock: a {@link ReentrantLock} whose conditions run the waiting thread's
 * {@linkplain CallerDrain deferred} receive work instead of blocking when its call awaits the answer
 * to it (the lock released meanwhile; the wait returns as a spurious wake-up), or hand that work to
 * the loops before blocking, so a socket call that waits (for a SYN-ACK, for buffer space, for data)
 * never sits on frames the peer needs to answer it. Every blocking wait of a socket
 * call is on a condition of this lock, in a loop that re-checks what it waits for.
 */
public final class StackLock extends ReentrantLock {
    private static final long serialVersionUID = 1L;

    @Override
    public Condition newCondition() {
        return new Handing(this, super.newCondition());
    }

    @Override
    public boolean hasWaiters(Condition condition) {
        return super.hasWaiters(unwrap(condition));
    }

    @Override
    public int getWaitQueueLength(Condition condition) {
        return super.getWaitQueueLength(unwrap(condition));
    }

    @Override
    protected Collection<Thread> getWaitingThreads(Condition condition) {
        return super.getWaitingThreads(unwrap(condition));
    }

    private static Condition unwrap(Condition c) {
        return c instanceof Handing h ? h.inner : c;
    }

    /**
     * A condition of the lock: a wait of a thread with deferred work runs that work and returns at
     * once, or hands it to the loops and waits ({@link CallerDrain#runInsteadOfWaiting}).
     */
    private static final class Handing implements Condition {
        final StackLock lock;
        final Condition inner;

        Handing(StackLock lock, Condition inner) {
            this.lock = lock;
            this.inner = inner;
        }

        @Override
        public void await() throws InterruptedException {
            if (CallerDrain.runInsteadOfWaiting(lock)) {
                return;
            }
            inner.await();
        }

        @Override
        public void awaitUninterruptibly() {
            if (CallerDrain.runInsteadOfWaiting(lock)) {
                return;
            }
            inner.awaitUninterruptibly();
        }

        @Override
        public long awaitNanos(long nanosTimeout) throws InterruptedException {
            long start = System.nanoTime();
            if (CallerDrain.runInsteadOfWaiting(lock)) {
                return nanosTimeout - (System.nanoTime() - start);
            }
            return inner.awaitNanos(nanosTimeout);
        }

        @Override
        public boolean await(long time, TimeUnit unit) throws InterruptedException {
            long start = System.nanoTime();
            if (CallerDrain.runInsteadOfWaiting(lock)) {
                return System.nanoTime() - start < unit.toNanos(time);
            }
            return inner.await(time, unit);
        }

        @Override
        public boolean awaitUntil(Date deadline) throws InterruptedException {
            if (CallerDrain.runInsteadOfWaiting(lock)) {
                return System.currentTimeMillis() < deadline.getTime();
            }
            return inner.awaitUntil(deadline);
        }

        @Override
        public void signal() {
            inner.signal();
        }

        @Override
        public void signalAll() {
            inner.signalAll();
        }
    }
}
