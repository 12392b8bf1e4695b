package netkit.api.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real-time loop wakes its thread only when it must: a task, or a timer due before its wait ends. */
class RealTimeLoopTest {
    private final RealTimeLoop loop = new RealTimeLoop("test");

    @AfterEach
    void close() {
        loop.close();
    }

    /** Waits until the thread has woken more than {@code wakeUps} times and waits again. */
    private void awaitSleepingAfter(long wakeUps) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (loop.wakeUps() <= wakeUps || !loop.sleeping()) {
            assertTrue(System.nanoTime() < end, "the loop never went to sleep again");
            Thread.sleep(1);
        }
    }

    private void awaitSleeping() throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!loop.sleeping()) {
            assertTrue(System.nanoTime() < end, "the loop never went to sleep");
            Thread.sleep(1);
        }
    }

    @Test
    void aTimerDueAfterTheWaitEndsDoesNotWakeTheThreadAndOneDueBeforeDoes() throws Exception {
        awaitSleeping(); // untimed: no timer yet
        long untimed = loop.wakeUps();
        loop.schedule(TimeUnit.SECONDS.toNanos(30), () -> { }); // wakes it: it must wait less
        awaitSleepingAfter(untimed); // now until the timer's deadline
        long before = loop.wakeUps();
        for (int i = 0; i < 100; i++) {
            loop.schedule(TimeUnit.SECONDS.toNanos(31 + i), () -> { }); // like a connection's lazy RTO
        }
        Thread.sleep(50);
        assertEquals(before, loop.wakeUps(), "no wake-up for timers due after the one it waits for");
        CountDownLatch fired = new CountDownLatch(1);
        long t0 = System.nanoTime();
        loop.schedule(TimeUnit.MILLISECONDS.toNanos(5), fired::countDown);
        assertTrue(fired.await(10, TimeUnit.SECONDS), "an earlier timer shortens the wait");
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(5), "not before it is due");
        assertTrue(loop.wakeUps() > before);
    }

    @Test
    void aTaskWakesASleepingThreadAndTimersDueTogetherAllRun() throws Exception {
        awaitSleeping(); // untimed: no timer at all
        CountDownLatch ran = new CountDownLatch(1);
        loop.execute(ran::countDown);
        assertTrue(ran.await(10, TimeUnit.SECONDS));
        CountDownLatch timers = new CountDownLatch(3);
        long woken = loop.wakeUps();
        loop.schedule(TimeUnit.MILLISECONDS.toNanos(20), timers::countDown);
        awaitSleepingAfter(woken);
        loop.schedule(TimeUnit.MILLISECONDS.toNanos(20), timers::countDown); // due with it: no wake-up needed
        loop.schedule(TimeUnit.MILLISECONDS.toNanos(40), timers::countDown);
        assertTrue(timers.await(10, TimeUnit.SECONDS), "every timer ran");
    }
}
