package netkit.link.wire;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import netkit.api.time.EventLoop;

/** The wire segments of one world (a JVM, or one simulation): segments by name, created on first use. */
public final class WireHub {
    private final ConcurrentMap<String, WireSegment> segments = new ConcurrentHashMap<>();
    private final EventLoop loop;

    /** A hub whose segments delay frames on {@code loop}. */
    public WireHub(EventLoop loop) {
        this.loop = loop;
    }

    /** The segment called {@code name}, created when new. */
    public WireSegment segment(String name) {
        return segments.computeIfAbsent(name, n -> new WireSegment(n, loop));
    }

    /** Every segment. */
    public List<WireSegment> segments() {
        return List.copyOf(segments.values());
    }
}
