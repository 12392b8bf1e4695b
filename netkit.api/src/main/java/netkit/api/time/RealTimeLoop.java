package netkit.api.time;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An {@link EventLoop} on its own daemon thread and {@link System#nanoTime()}. A task that throws is
 * logged and the loop goes on; the thread never dies of it.
 */
public final class RealTimeLoop implements EventLoop, AutoCloseable {
    private static final System.Logger LOG = netkit.api.spi.support.NetkitLog.logger(RealTimeLoop.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final TimerQueue timers = new TimerQueue();
    private final Thread thread;
    private volatile boolean closed;
    // Under the lock: whether the thread waits, and until when (untimed: no timer). A timer due no
    // earlier than that wait's end needs no wake-up: the thread finds it when it wakes anyway.
    private boolean sleeping;
    private boolean sleepingUntimed;
    private long sleepingUntil;
    private long wakeUps; // waits that ended (tests: timers due later do not end one)

    /** Starts a loop whose thread is named {@code netkit-<name>}. */
    public RealTimeLoop(String name) {
        thread = new Thread(this::run, "netkit-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void execute(Runnable task) {
        lock.lock();
        try {
            if (!closed) {
                tasks.add(task);
                if (sleeping) {
                    wake.signal();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Timer schedule(long delayNanos, Runnable task) {
        lock.lock();
        try {
            long deadline = System.nanoTime() + Math.max(0, delayNanos);
            TimerQueue.Entry e = timers.add(deadline, task);
            if (sleeping && (sleepingUntimed || deadline - sleepingUntil < 0)) {
                wake.signal(); // due before the thread would wake: it must wait less
            }
            return e;
        } finally {
            lock.unlock();
        }
    }

    /** How many times the thread has waited and woken (signalled, timed out or spuriously). */
    long wakeUps() {
        lock.lock();
        try {
            return wakeUps;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the thread is waiting now. */
    boolean sleeping() {
        lock.lock();
        try {
            return sleeping;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the caller runs on this loop's thread. */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    private void run() {
        while (true) {
            Runnable next;
            TimerQueue.Entry timer = null;
            lock.lock();
            try {
                while (true) {
                    if (closed) {
                        return;
                    }
                    next = tasks.poll();
                    if (next != null) {
                        break;
                    }
                    TimerQueue.Entry t = timers.peek();
                    long now = System.nanoTime();
                    if (t != null && t.deadline - now <= 0) {
                        timer = timers.poll();
                        next = timer.task;
                        break;
                    }
                    sleeping = true;
                    sleepingUntimed = t == null;
                    sleepingUntil = t == null ? 0 : t.deadline;
                    try {
                        if (t == null) {
                            wake.await();
                        } else {
                            wake.awaitNanos(t.deadline - now);
                        }
                    } catch (InterruptedException e) {
                        if (closed) {
                            return;
                        }
                    } finally {
                        sleeping = false;
                        wakeUps++;
                    }
                }
            } finally {
                lock.unlock();
            }
            if (timer != null) {
                timer.markDone();
            }
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, "task failed on " + thread.getName(), e);
            }
        }
    }

    /** Stops the thread; queued tasks and timers are dropped. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            tasks.clear();
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        if (!inLoop()) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
