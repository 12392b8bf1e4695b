package netkit.api.spi.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.time.SimulatedLoop;
import org.junit.jupiter.api.Test;

/** Deadlines on a simulated loop: a waiter thread blocks while the test thread moves time. */
class DeadlineTest {
    private static final long SECOND = 1_000_000_000L;

    private final SimulatedLoop loop = new SimulatedLoop();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    /** What a waiter saw: how its wait ended and the loop time then. */
    private record Outcome(boolean signalled, Errno errno, boolean interruptFlag, long at) {
    }

    /** Starts a thread that takes the lock and waits once on {@code changed} within {@code d}. */
    private CompletableFuture<Outcome> waitOnce(Deadline d, Thread[] thread) {
        CompletableFuture<Outcome> out = new CompletableFuture<>();
        thread[0] = new Thread(() -> {
            Outcome o;
            lock.lock();
            try (d) {
                o = new Outcome(d.await(changed), null, false, loop.nanoTime());
            } catch (ErrnoException e) {
                o = new Outcome(false, e.errno(), Thread.currentThread().isInterrupted(), loop.nanoTime());
            } finally {
                lock.unlock();
            }
            out.complete(o); // after close: the test may check the timer was cancelled
        });
        thread[0].start();
        return out;
    }

    /** Waits until {@code t} is parked on the condition (not running, not queued for the lock). */
    private void awaitParked(Thread t) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (t.getState() != Thread.State.WAITING || lock.hasQueuedThread(t)) {
            assertTrue(t.isAlive(), "the waiter ended instead of waiting");
            assertTrue(System.nanoTime() - end < 0, "the waiter did not park");
            Thread.onSpinWait();
        }
    }

    @Test
    void timeoutFiresAtExactlyTheSimulatedDeadline() throws Exception {
        long wall = System.nanoTime();
        loop.advance(Duration.ofSeconds(7)); // the deadline is relative to the loop's now
        Thread[] t = new Thread[1];
        CompletableFuture<Outcome> out = waitOnce(Deadline.after(loop, lock, 60 * SECOND), t);
        awaitParked(t[0]);
        loop.advance(Duration.ofNanos(60 * SECOND - 1));
        awaitParked(t[0]);
        assertFalse(out.isDone(), "one nanosecond before the deadline the waiter still waits");
        loop.advance(Duration.ofNanos(1));
        Outcome o = out.get(5, TimeUnit.SECONDS);
        assertEquals(67 * SECOND, o.at(), "woken at the deadline");
        assertEquals(1, loop.executed(), "one timer: the deadline's");
        assertTrue(System.nanoTime() - wall < SECOND, "60 simulated seconds took no wall time");

        lock.lock();
        try (Deadline d = Deadline.after(loop, lock, 60 * SECOND)) {
            loop.advance(Duration.ofSeconds(60)); // no timer yet: nothing runs
            assertTrue(d.expired());
            assertFalse(d.await(changed), "an expired deadline returns at once");
        } finally {
            lock.unlock();
        }
        assertEquals(1, loop.executed(), "a deadline that never waited scheduled no timer");
    }

    @Test
    void signalWakesTheWaiterAndCloseCancelsTheTimer() throws Exception {
        Thread[] t = new Thread[1];
        CompletableFuture<Outcome> out = waitOnce(Deadline.after(loop, lock, 60 * SECOND), t);
        awaitParked(t[0]);
        loop.advance(Duration.ofSeconds(1));
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        Outcome o = out.get(5, TimeUnit.SECONDS);
        assertTrue(o.signalled());
        assertEquals(SECOND, o.at());
        loop.advance(Duration.ofMinutes(2));
        assertEquals(0, loop.executed(), "the cancelled timer never ran");
    }

    @Test
    void interruptGivesEintrAndKeepsTheFlag() throws Exception {
        Thread[] t = new Thread[1];
        CompletableFuture<Outcome> out = waitOnce(Deadline.after(loop, lock, 60 * SECOND), t);
        awaitParked(t[0]);
        t[0].interrupt();
        Outcome o = out.get(5, TimeUnit.SECONDS);
        assertEquals(Errno.EINTR, o.errno());
        assertTrue(o.interruptFlag());
        loop.advance(Duration.ofMinutes(2));
        assertEquals(0, loop.executed(), "the cancelled timer never ran");
    }

    @Test
    void aLimitBeyondTheClocksRangeNeverExpires() {
        loop.advance(Duration.ofDays(1)); // now + Long.MAX_VALUE would wrap to the past
        Deadline d = Deadline.after(loop, lock, Long.MAX_VALUE);
        assertFalse(d.expired());
        loop.advance(Duration.ofDays(365));
        assertFalse(d.expired());
    }

    @Test
    void withoutALimitOnlyASignalEndsTheWait() throws Exception {
        Thread[] t = new Thread[1];
        CompletableFuture<Outcome> out = waitOnce(Deadline.ofTimeoutOption(loop, lock, 0), t);
        awaitParked(t[0]);
        loop.advance(Duration.ofDays(365));
        awaitParked(t[0]);
        assertFalse(out.isDone());
        assertEquals(0, loop.executed(), "no timer for an unbounded wait");
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        assertTrue(out.get(5, TimeUnit.SECONDS).signalled());
    }

    @Test
    void timeoutOptionIsInMilliseconds() {
        Deadline d = Deadline.ofTimeoutOption(loop, lock, 250);
        loop.advance(Duration.ofMillis(249));
        assertFalse(d.expired());
        loop.advance(Duration.ofMillis(1));
        assertTrue(d.expired());
        assertTrue(Deadline.after(loop, lock, 0).expired(), "zero has passed already");
        assertFalse(Deadline.never(loop, lock).expired());
    }
}
