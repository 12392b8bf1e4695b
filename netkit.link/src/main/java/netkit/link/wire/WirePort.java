package netkit.link.wire;

import java.util.SplittableRandom;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.support.EthernetLink;
import netkit.api.spi.link.LinkReceiver;
import netkit.api.time.Timer;

/**
 * One stack's attachment to a {@link WireSegment}: an Ethernet {@link Link}. Frames it sends go
 * through its impairment (loss, duplication, corruption, reordering, delay, jitter, rate limit)
 * before the segment switches them.
 */
public final class WirePort extends EthernetLink {
    /** Longest a frame may wait behind the rate limit before it is tail-dropped. */
    private static final long MAX_QUEUE_NANOS = 200_000_000L;
    /** How long a held-back (reordered) frame waits for a successor before it goes alone. */
    private static final long REORDER_HOLD_NANOS = 5_000_000L;

    private final WireSegment segment;
    private final LinkReceiver receiver;
    private final Impairment own;
    private Impairment effective;
    private SplittableRandom random;
    private long nextFree;
    private PacketBuffer held;
    private Timer heldTimer;
    private volatile boolean closed;

    WirePort(WireSegment segment, long mac, int mtu, LinkReceiver receiver, Impairment own) {
        super(WireDriver.NAME, mac, mtu);
        this.segment = segment;
        this.receiver = receiver;
        this.own = own;
        segmentImpairmentChanged();
    }

    synchronized void segmentImpairmentChanged() {
        effective = own != null ? own : segment.impairment();
        random = new SplittableRandom(effective.seed() ^ mac());
    }

    /** The segment this port is on. */
    public WireSegment segment() {
        return segment;
    }

    @Override
    public boolean transmit(PacketBuffer frame) {
        if (closed || frame.length() > mtu() + 14) {
            frame.release();
            return false;
        }
        synchronized (this) {
            Impairment im = effective;
            if (im.loss() > 0 && random.nextDouble() < im.loss()) {
                segment.lost.incrementAndGet();
                frame.release();
                return true; // lost on the wire, not refused by the link
            }
            if (im.corrupt() > 0 && random.nextDouble() < im.corrupt() && frame.length() > 14) {
                int at = frame.offset() + 14 + random.nextInt(frame.length() - 14);
                frame.array()[at] ^= (byte) (1 << random.nextInt(8));
                segment.corrupted.incrementAndGet();
            }
            PacketBuffer dup = null;
            if (im.duplicate() > 0 && random.nextDouble() < im.duplicate()) {
                dup = frame.copy();
                segment.duplicated.incrementAndGet();
            }
            if (im.immediate()) {
                segment.forward(this, frame);
                if (dup != null) {
                    segment.forward(this, dup);
                }
                return true;
            }
            schedule(im, frame);
            if (dup != null) {
                schedule(im, dup);
            }
        }
        return true;
    }

    /** Delay, jitter, rate and reordering: frames leave through the segment's loop. */
    private void schedule(Impairment im, PacketBuffer frame) {
        long now = segment.loop().nanoTime();
        long depart = now;
        if (im.rateBitsPerSecond() > 0) {
            if (nextFree - now > MAX_QUEUE_NANOS) {
                segment.queueDrops.incrementAndGet();
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
            segment.reordered.incrementAndGet();
            held = frame;
            heldTimer = segment.loop().schedule(delay + REORDER_HOLD_NANOS, this::releaseHeld);
            return;
        }
        PacketBuffer late = null;
        if (held != null) {
            late = held;
            held = null;
            heldTimer.cancel();
        }
        PacketBuffer afterwards = late;
        segment.loop().schedule(delay, () -> {
            segment.forward(this, frame);
            if (afterwards != null) {
                segment.forward(this, afterwards);
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
            segment.forward(this, f);
        }
    }

    /** A frame for this port. */
    void deliver(PacketBuffer frame) {
        if (closed) {
            frame.release();
            return;
        }
        receiver.receive(frame);
    }

    @Override
    public void close() {
        closed = true;
        segment.detach(this);
    }

    @Override
    public String toString() {
        return "WirePort[" + segment.name() + " " + netkit.api.wire.MacAddress.format(mac()) + "]";
    }
}
