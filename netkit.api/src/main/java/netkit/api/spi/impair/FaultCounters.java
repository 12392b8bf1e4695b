package netkit.api.spi.impair;

import java.util.concurrent.atomic.AtomicLong;

/** What fault injection did to frames; one instance may be shared by several injectors. */
public final class FaultCounters {
    final AtomicLong lost = new AtomicLong();
    final AtomicLong duplicated = new AtomicLong();
    final AtomicLong corrupted = new AtomicLong();
    final AtomicLong reordered = new AtomicLong();
    final AtomicLong queueDrops = new AtomicLong();

    /** Frames dropped by the loss probability or the drop filter. */
    public long lost() {
        return lost.get();
    }

    /** Frames delivered twice. */
    public long duplicated() {
        return duplicated.get();
    }

    /** Frames with one bit flipped. */
    public long corrupted() {
        return corrupted.get();
    }

    /** Frames held back and delivered after their successor. */
    public long reordered() {
        return reordered.get();
    }

    /** Frames tail-dropped because they would wait too long behind the rate limit. */
    public long queueDrops() {
        return queueDrops.get();
    }

    @Override
    public String toString() {
        return String.format("lost %d, duplicated %d, corrupted %d, reordered %d, queue drops %d", lost(),
                duplicated(), corrupted(), reordered(), queueDrops());
    }
}
