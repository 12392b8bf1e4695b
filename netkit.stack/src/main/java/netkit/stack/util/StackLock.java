package netkit.stack.util;

import java.util.Collection;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A stack's lock: a {@link ReentrantLock} whose conditions hand the waiting thread's
 * {@linkplain CallerDrain deferred} receive work to the loops before it blocks, so a socket call that
 * waits (for an ACK, for buffer space, for a connection) never sits on frames the peer needs to
 * answer it. Every blocking wait of a socket call is on a condition of this lock.
 */
public final class StackLock extends ReentrantLock {
    private static final long serialVersionUID = 1L;

    @Override
    public Condition newCondition() {
        return new Handing(super.newCondition());
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

    /** A condition of the lock that calls {@link CallerDrain#beforeWait} before each wait. */
    private static final class Handing implements Condition {
        final Condition inner;

        Handing(Condition inner) {
            this.inner = inner;
        }

        @Override
        public void await() throws InterruptedException {
            CallerDrain.beforeWait();
            inner.await();
        }

        @Override
        public void awaitUninterruptibly() {
            CallerDrain.beforeWait();
            inner.awaitUninterruptibly();
        }

        @Override
        public long awaitNanos(long nanosTimeout) throws InterruptedException {
            CallerDrain.beforeWait();
            return inner.awaitNanos(nanosTimeout);
        }

        @Override
        public boolean await(long time, TimeUnit unit) throws InterruptedException {
            CallerDrain.beforeWait();
            return inner.await(time, unit);
        }

        @Override
        public boolean awaitUntil(Date deadline) throws InterruptedException {
            CallerDrain.beforeWait();
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
