package netkit.link.wire;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.link.LinkReceiver;
import netkit.api.time.EventLoop;
import netkit.api.wire.Bytes;
import netkit.api.wire.MacAddress;

/**
 * A named in-JVM Ethernet segment behaving like a switch: unicast frames go to the port with that
 * MAC, broadcast and unknown destinations are flooded to every other port. Impairment is applied
 * per sending port, so a test can make one direction lossy.
 */
public final class WireSegment {
    private final String name;
    private final EventLoop loop;
    private final List<WirePort> ports = new CopyOnWriteArrayList<>();
    private volatile Impairment impairment = Impairment.NONE;
    private volatile java.util.function.BiPredicate<WirePort, PacketBuffer> filter;
    final AtomicLong frames = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong lost = new AtomicLong();
    final AtomicLong duplicated = new AtomicLong();
    final AtomicLong corrupted = new AtomicLong();
    final AtomicLong reordered = new AtomicLong();
    final AtomicLong queueDrops = new AtomicLong();

    /** A segment whose delays run on {@code loop}. */
    public WireSegment(String name, EventLoop loop) {
        this.name = name;
        this.loop = loop;
    }

    /** The segment's name. */
    public String name() {
        return name;
    }

    /** Sets the impairment of every port that has none of its own (takes effect for new frames). */
    public void impairment(Impairment i) {
        this.impairment = i.validate();
        for (WirePort p : ports) {
            p.segmentImpairmentChanged();
        }
    }

    /** The segment-wide impairment. */
    public Impairment impairment() {
        return impairment;
    }

    /** Attaches a new port with {@code mac} (0: a generated one) delivering to {@code receiver}. */
    public WirePort attach(long mac, int mtu, LinkReceiver receiver, Impairment own) {
        long m = mac != 0 ? mac : MacAddress.localUnicast(((long) name.hashCode() << 16) ^ System.nanoTime() ^ ports.size());
        WirePort p = new WirePort(this, m, mtu, receiver, own);
        ports.add(p);
        return p;
    }

    void detach(WirePort p) {
        ports.remove(p);
    }

    EventLoop loop() {
        return loop;
    }

    /** Ports attached now. */
    public List<WirePort> ports() {
        return List.copyOf(ports);
    }

    /**
     * Sets a deterministic filter (for tests that need a particular frame lost): frames for which
     * it returns false are dropped and counted as lost. Null removes it.
     */
    public void filter(java.util.function.BiPredicate<WirePort, PacketBuffer> f) {
        this.filter = f;
    }

    /** Delivers a frame that left {@code from} (impairment already applied). Takes ownership. */
    void forward(WirePort from, PacketBuffer frame) {
        java.util.function.BiPredicate<WirePort, PacketBuffer> f = filter;
        if (frame.length() < 14 || f != null && !f.test(from, frame)) {
            if (frame.length() >= 14) {
                lost.incrementAndGet();
            }
            frame.release();
            return;
        }
        frames.incrementAndGet();
        bytes.addAndGet(frame.length());
        long dst = Bytes.get48(frame.array(), frame.offset());
        if (!MacAddress.isMulticast(dst)) {
            for (WirePort p : ports) {
                if (p != from && p.mac() == dst) {
                    p.deliver(frame);
                    return;
                }
            }
        }
        WirePort first = null;
        for (WirePort p : ports) {
            if (p == from) {
                continue;
            }
            if (first == null) {
                first = p;
            } else {
                p.deliver(frame.copy());
            }
        }
        if (first != null) {
            first.deliver(frame);
        } else {
            frame.release();
        }
    }

    /** Counters: frames, bytes, lost, duplicated, corrupted, reordered, queue drops. */
    public String stats() {
        return String.format("%s: %d frames %d bytes, lost %d, duplicated %d, corrupted %d, reordered %d, queue drops %d",
                name, frames.get(), bytes.get(), lost.get(), duplicated.get(), corrupted.get(), reordered.get(),
                queueDrops.get());
    }

    /** Frames lost to impairment. */
    public long lost() {
        return lost.get();
    }

    /** Frames corrupted by impairment. */
    public long corrupted() {
        return corrupted.get();
    }
}
