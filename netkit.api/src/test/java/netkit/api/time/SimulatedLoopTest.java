package netkit.api.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedLoopTest {
    @Test
    void timersFireInDeadlineThenSchedulingOrder() {
        SimulatedLoop loop = new SimulatedLoop();
        List<String> log = new ArrayList<>();
        loop.schedule(2_000, () -> log.add("b@" + loop.nanoTime()));
        loop.schedule(1_000, () -> log.add("a@" + loop.nanoTime()));
        loop.schedule(2_000, () -> log.add("c@" + loop.nanoTime()));
        Timer cancelled = loop.schedule(1_500, () -> log.add("never"));
        cancelled.cancel();
        loop.execute(() -> log.add("task@" + loop.nanoTime()));
        loop.advance(Duration.ofNanos(5_000));
        assertEquals(List.of("task@0", "a@1000", "b@2000", "c@2000"), log);
        assertEquals(5_000, loop.nanoTime());
        assertFalse(cancelled.pending());
    }

    @Test
    void runUntilStopsAtConditionOrLimit() {
        SimulatedLoop loop = new SimulatedLoop();
        int[] n = {0};
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            n[0]++;
            loop.schedule(1_000_000, tick[0]);
        };
        loop.execute(tick[0]);
        assertTrue(loop.runUntil(() -> n[0] == 10, Duration.ofSeconds(1)));
        assertEquals(9_000_000, loop.nanoTime());
        assertFalse(loop.runUntil(() -> false, Duration.ofMillis(5)));
        assertEquals(14_000_000, loop.nanoTime());
    }

    @Test
    void realTimeLoopSurvivesFailingTasks() throws Exception {
        try (RealTimeLoop loop = new RealTimeLoop("test")) {
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            loop.execute(() -> {
                throw new IllegalStateException("boom");
            });
            loop.schedule(1_000_000, done::countDown);
            assertTrue(done.await(5, java.util.concurrent.TimeUnit.SECONDS));
        }
    }

    @Test
    void pendingTimersCountsWhatWillStillRun() {
        SimulatedLoop loop = new SimulatedLoop();
        Timer a = loop.schedule(1_000, () -> { });
        loop.schedule(2_000, () -> { });
        assertEquals(2, loop.pendingTimers());
        a.cancel();
        assertEquals(1, loop.pendingTimers(), "a cancelled timer is not pending");
        loop.advance(Duration.ofNanos(3_000));
        assertEquals(0, loop.pendingTimers());
    }
}
