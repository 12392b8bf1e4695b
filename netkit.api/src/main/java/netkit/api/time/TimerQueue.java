package netkit.api.time;

import java.util.PriorityQueue;

/**
 * Timers ordered by deadline, ties broken by scheduling order so runs are deterministic. Cancelled
 * timers are dropped when they reach the head, and all at once whenever the queue has doubled since
 * the last such purge, so timers cancelled long before their deadline (a blocking call that
 * returned early) cannot pile up. Not thread-safe: the loops guard it.
 */
final class TimerQueue {
    static final class Entry implements Timer, Comparable<Entry> {
        final long deadline;
        final long seq;
        final Runnable task;
        private volatile boolean cancelled;
        private volatile boolean done;

        Entry(long deadline, long seq, Runnable task) {
            this.deadline = deadline;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public boolean pending() {
            return !cancelled && !done;
        }

        boolean cancelled() {
            return cancelled;
        }

        void markDone() {
            done = true;
        }

        @Override
        public int compareTo(Entry o) {
            int c = Long.compare(deadline - o.deadline, 0);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private static final int MIN_PURGE_SIZE = 64;

    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private long seq;
    private int purgeAt = MIN_PURGE_SIZE;

    Entry add(long deadline, Runnable task) {
        if (queue.size() >= purgeAt) {
            queue.removeIf(Entry::cancelled);
            purgeAt = Math.max(MIN_PURGE_SIZE, 2 * queue.size());
        }
        Entry e = new Entry(deadline, seq++, task);
        queue.add(e);
        return e;
    }

    /** The earliest live entry, dropping cancelled ones; null when none. */
    Entry peek() {
        Entry e;
        while ((e = queue.peek()) != null && e.cancelled()) {
            queue.poll();
        }
        return e;
    }

    Entry poll() {
        Entry e = peek();
        if (e != null) {
            queue.poll();
        }
        return e;
    }

    int size() {
        return queue.size();
    }

    /** Entries neither cancelled nor run yet. */
    int live() {
        int n = 0;
        for (Entry e : queue) {
            if (!e.cancelled()) {
                n++;
            }
        }
        return n;
    }
}
