package netkit.api.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimerQueueTest {
    @Test
    void timersCancelledLongBeforeTheirDeadlineDoNotPileUp() {
        TimerQueue q = new TimerQueue();
        List<Long> live = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            long deadline = 1_000_000_000L - i;
            TimerQueue.Entry e = q.add(deadline, () -> { });
            if (i % 1000 == 0) {
                live.add(deadline);
            } else {
                e.cancel();
            }
        }
        assertTrue(q.size() < 300, "cancelled timers were purged: " + q.size());
        live.sort(null);
        for (long deadline : live) {
            assertEquals(deadline, q.poll().deadline, "live timers still come out in deadline order");
        }
        assertNull(q.poll());
    }
}
