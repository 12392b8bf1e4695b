package netkit.api.time;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;

/**
 * An {@link EventLoop} on virtual time, driven by the caller: tasks and timers run on the thread
 * that calls {@link #runUntilIdle}, {@link #advance} or {@link #runUntil}, in a fixed order, and
 * time jumps straight to the next timer. Share one instance between stacks and wires to simulate a
 * network deterministically and faster than real time.
 */
public final class SimulatedLoop implements EventLoop {
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final TimerQueue timers = new TimerQueue();
    private long now;
    private long executed;

    /** A loop whose clock starts at 0. */
    public SimulatedLoop() {
    }

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized void execute(Runnable task) {
        tasks.add(task);
    }

    @Override
    public synchronized Timer schedule(long delayNanos, Runnable task) {
        return timers.add(now + Math.max(0, delayNanos), task);
    }

    /** Number of tasks and timers run so far. */
    public synchronized long executed() {
        return executed;
    }

    /**
     * Number of timers waiting to run (cancelled ones not counted): back to its old value once
     * everything a test started has finished, so a timer left behind by a closed socket shows.
     */
    public synchronized int pendingTimers() {
        return timers.live();
    }

    /** Runs queued tasks and timers due now until nothing is left to do at the current time. */
    public void runUntilIdle() {
        while (step(false)) {
            // keep going
        }
    }

    /** Runs everything due in the next {@code d} of virtual time, then sets the clock to now + d. */
    public void advance(Duration d) {
        long target;
        synchronized (this) {
            target = now + d.toNanos();
        }
        while (stepUntil(target)) {
            // keep going
        }
        synchronized (this) {
            if (target - now > 0) {
                now = target;
            }
        }
    }

    /**
     * Runs tasks and timers, moving time forward as needed, until {@code condition} holds or
     * {@code limit} of virtual time has passed.
     *
     * @return whether the condition holds
     */
    public boolean runUntil(BooleanSupplier condition, Duration limit) {
        long target;
        synchronized (this) {
            target = now + limit.toNanos();
        }
        while (!condition.getAsBoolean()) {
            if (!stepUntil(target)) {
                synchronized (this) {
                    if (target - now > 0) {
                        now = target;
                    }
                }
                return condition.getAsBoolean();
            }
        }
        return true;
    }

    private boolean stepUntil(long target) {
        Runnable next;
        TimerQueue.Entry timer = null;
        synchronized (this) {
            next = tasks.poll();
            if (next == null) {
                TimerQueue.Entry t = timers.peek();
                if (t == null || t.deadline - target > 0) {
                    return false;
                }
                timer = timers.poll();
                if (timer.deadline - now > 0) {
                    now = timer.deadline;
                }
                next = timer.task;
            }
            executed++;
        }
        if (timer != null) {
            timer.markDone();
        }
        next.run();
        return true;
    }

    private boolean step(boolean moveTime) {
        long target;
        synchronized (this) {
            target = now;
        }
        return stepUntil(moveTime ? Long.MAX_VALUE : target);
    }
}
