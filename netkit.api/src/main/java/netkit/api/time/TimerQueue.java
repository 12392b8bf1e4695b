package netkit.api.time;

import java.util.PriorityQueue;

/**
 * Timers ordered by deadline, ties broken by scheduling order so runs are deterministic. Not
 * thread-safe: the loops guard it.
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

    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private long seq;

    Entry add(long deadline, Runnable task) {
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
}
