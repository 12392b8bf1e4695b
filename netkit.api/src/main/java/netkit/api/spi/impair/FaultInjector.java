package netkit.api.spi.impair;

import java.util.SplittableRandom;
import java.util.function.Predicate;
import netkit.api.buffer.PacketBuffer;
import netkit.api.time.EventLoop;
import netkit.api.time.Timer;

/**
 * Applies an {@link Impairment} to the frames going one way (smoltcp's {@code FaultInjector} is the
 * model): loss, corruption and duplication are decided as each frame arrives, in that order, from a
 * random source seeded with the impairment's seed; delay, jitter, the rate limit and reordering
 * hand frames on later through the event loop. A drop filter may then refuse particular frames
 * (for tests that need one specific frame lost). Thread-safe.
 */
public final class FaultInjector {
    /** Where frames go once impaired; takes ownership. */
    @FunctionalInterface
    public interface Downstream {
        /** Passes a frame on; false when it was refused (e.g. the link is closed). */
        boolean accept(PacketBuffer frame);
    }

    /** Longest a frame may wait behind the rate limit before it is tail-dropped. */
    private static final long MAX_QUEUE_NANOS = 200_000_000L;
    /** How long a held-back (reordered) frame waits for a successor before it goes alone. */
    private static final long REORDER_HOLD_NANOS = 5_000_000L;

    private final EventLoop loop;
    private final FaultCounters counters;
    private final Downstream downstream;
    private volatile int headerLength;
    private volatile Predicate<PacketBuffer> filter;
    private Impairment impairment;
    private SplittableRandom random;
    private long nextFree;
    private PacketBuffer held;
    private Timer heldTimer;

    /**
     * An injector handing frames to {@code downstream}.
     *
     * @param loop         runs delayed deliveries
     * @param headerLength link header bytes that corruption never touches (14 for Ethernet)
     * @param impairment   the first impairment
     * @param counters     where drops, duplicates and the like are counted
     * @param downstream   where frames go
     */
    public FaultInjector(EventLoop loop, int headerLength, Impairment impairment, FaultCounters counters,
            Downstream downstream) {
        this.loop = loop;
        this.headerLength = headerLength;
        this.counters = counters;
        this.downstream = downstream;
        impairment(impairment);
    }

    /** Replaces the impairment for frames from now on; the random source restarts from its seed. */
    public synchronized void impairment(Impairment im) {
        impairment = im.validate();
        random = new SplittableRandom(im.seed());
    }

    /** The impairment in force. */
    public synchronized Impairment impairment() {
        return impairment;
    }

    /** Sets the link header length corruption leaves alone (once the link's framing is known). */
    public void headerLength(int bytes) {
        headerLength = bytes;
    }

    /**
     * Sets the drop filter: frames for which it returns false are dropped and counted as lost when
     * they would be handed on (after the impairment). Null removes it.
     */
    public void filter(Predicate<PacketBuffer> passes) {
        filter = passes;
    }

    /**
     * Takes a frame (and ownership of it).
     *
     * @return false only when the frame went on at once and downstream refused it; a frame lost
     *         to the impairment counts as sent, as on a real wire
     */
    public boolean accept(PacketBuffer frame) {
        synchronized (this) {
            Impairment im = impairment;
            if (im.loss() > 0 && random.nextDouble() < im.loss()) {
                counters.lost.incrementAndGet();
                frame.release();
                return true;
            }
            int header = headerLength;
            if (im.corrupt() > 0 && random.nextDouble() < im.corrupt() && frame.length() > header) {
                int at = frame.offset() + header + random.nextInt(frame.length() - header);
                frame.array()[at] ^= (byte) (1 << random.nextInt(8));
                counters.corrupted.incrementAndGet();
            }
            PacketBuffer dup = null;
            if (im.duplicate() > 0 && random.nextDouble() < im.duplicate()) {
                dup = frame.copy();
                counters.duplicated.incrementAndGet();
            }
            if (im.immediate()) {
                boolean sent = handOn(frame);
                if (dup != null) {
                    handOn(dup);
                }
                return sent;
            }
            schedule(im, frame);
            if (dup != null) {
                schedule(im, dup);
            }
        }
        return true;
    }

    /** Delay, jitter, rate and reordering: frames go on from the loop. */
    private void schedule(Impairment im, PacketBuffer frame) {
        long now = loop.nanoTime();
        long depart = now;
        if (im.rateBitsPerSecond() > 0) {
            if (nextFree - now > MAX_QUEUE_NANOS) {
                counters.queueDrops.incrementAndGet();
                frame.release();
                return;
            }
            long serialise = frame.length() * 8L * 1_000_000_000L / im.rateBitsPerSecond();
            depart = Math.max(now, nextFree) + serialise;
            nextFree = depart;
        }
        long delay = (depart - now) + im.delayMicros() * 1000L
                + (im.jitterMicros() > 0 ? random.nextLong(im.jitterMicros() + 1) * 1000L : 0);
        if (im.reorder() > 0 && held == null && random.nextDouble() < im.reorder()) {
            counters.reordered.incrementAndGet();
            held = frame;
            heldTimer = loop.schedule(delay + REORDER_HOLD_NANOS, this::releaseHeld);
            return;
        }
        PacketBuffer late = null;
        if (held != null) {
            late = held;
            held = null;
            heldTimer.cancel();
        }
        PacketBuffer afterwards = late;
        loop.schedule(delay, () -> {
            handOn(frame);
            if (afterwards != null) {
                handOn(afterwards);
            }
        });
    }

    private void releaseHeld() {
        PacketBuffer f;
        synchronized (this) {
            f = held;
            held = null;
        }
        if (f != null) {
            handOn(f);
        }
    }

    private boolean handOn(PacketBuffer frame) {
        Predicate<PacketBuffer> f = filter;
        if (f != null && !f.test(frame)) {
            counters.lost.incrementAndGet();
            frame.release();
            return true;
        }
        return downstream.accept(frame);
    }
}
