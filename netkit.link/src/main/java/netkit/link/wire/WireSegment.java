package netkit.link.wire;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.impair.FaultCounters;
import netkit.api.spi.impair.Impairment;
import netkit.api.spi.link.LinkReceiver;
import netkit.api.time.EventLoop;
import netkit.api.wire.Bytes;
import netkit.api.wire.MacAddress;

/**
 * A named in-JVM Ethernet segment behaving like a switch: unicast frames go to the port with that
 * MAC, broadcast and unknown destinations are flooded to every other port. Tests may impair every
 * port's sending direction at once ({@link #impairment(Impairment)}) or drop chosen frames
 * ({@link #filter}); per-interface impairment is the stack's {@code FaultInjectingLink}.
 */
public final class WireSegment {
    private final String name;
    private final EventLoop loop;
    private final List<WirePort> ports = new CopyOnWriteArrayList<>();
    /**
     * {@link #ports} as an array with their MACs beside them, for switching frames without an
     * iterator, and without loading every other port object (written by its own sending thread), per
     * frame (#13).
     */
    private volatile Switching switching = new Switching(new WirePort[0]);
    private final FaultCounters counters = new FaultCounters();
    private volatile Impairment impairment = Impairment.NONE;
    private volatile BiPredicate<WirePort, PacketBuffer> filter;

    /** A segment whose delays run on {@code loop}. */
    public WireSegment(String name, EventLoop loop) {
        this.name = name;
        this.loop = loop;
    }

    /** The segment's name. */
    public String name() {
        return name;
    }

    /**
     * Impairs what every port sends (takes effect for new frames). Each port draws from its own
     * random stream, seeded with the impairment's seed XOR the port's MAC.
     */
    public void impairment(Impairment i) {
        this.impairment = i.validate();
        for (WirePort p : ports) {
            p.impairment(i);
        }
    }

    /** The segment-wide impairment. */
    public Impairment impairment() {
        return impairment;
    }

    /** Attaches a new port with {@code mac} (0: a generated one) delivering to {@code receiver}. */
    public WirePort attach(long mac, int mtu, LinkReceiver receiver) {
        long m = mac != 0 ? mac : MacAddress.localUnicast(((long) name.hashCode() << 16) ^ System.nanoTime() ^ ports.size());
        WirePort p = new WirePort(this, m, mtu, receiver);
        synchronized (ports) {
            ports.add(p);
            switching = new Switching(ports.toArray(new WirePort[0]));
        }
        return p;
    }

    void detach(WirePort p) {
        synchronized (ports) {
            ports.remove(p);
            switching = new Switching(ports.toArray(new WirePort[0]));
        }
    }

    EventLoop loop() {
        return loop;
    }

    FaultCounters counters() {
        return counters;
    }

    /** Ports attached now. */
    public List<WirePort> ports() {
        return List.copyOf(ports);
    }

    /**
     * Sets a deterministic filter (for tests that need a particular frame lost): frames for which
     * it returns false are dropped and counted as lost. Null removes it.
     */
    public void filter(BiPredicate<WirePort, PacketBuffer> f) {
        this.filter = f;
        for (WirePort p : ports) {
            p.filter(f);
        }
    }

    BiPredicate<WirePort, PacketBuffer> filter() {
        return filter;
    }

    /** Switches a frame that left {@code from} (impairment already applied). Takes ownership. */
    void forward(WirePort from, PacketBuffer frame) {
        if (frame.length() < 14) {
            frame.release();
            return;
        }
        long dst = Bytes.get48(frame.array(), frame.offset());
        Switching sw = switching;
        WirePort[] ports = sw.ports;
        if (!MacAddress.isMulticast(dst)) {
            long[] macs = sw.macs;
            for (int i = 0; i < macs.length; i++) {
                if (macs[i] == dst && ports[i] != from) {
                    ports[i].deliver(frame);
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

    /** Frames lost to impairment or the filter. */
    public long lost() {
        return counters.lost();
    }

    /** Frames corrupted by impairment. */
    public long corrupted() {
        return counters.corrupted();
    }

    /** The ports attached at one time and their MACs, index by index. Immutable. */
    private static final class Switching {
        final WirePort[] ports;
        final long[] macs;

        Switching(WirePort[] ports) {
            this.ports = ports;
            this.macs = new long[ports.length];
            for (int i = 0; i < ports.length; i++) {
                macs[i] = ports[i].mac();
            }
        }
    }
}
