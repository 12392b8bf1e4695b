package netkit.link.wire;

import java.util.function.BiPredicate;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.impair.FaultInjector;
import netkit.api.spi.impair.Impairment;
import netkit.api.spi.link.LinkReceiver;
import netkit.api.spi.support.EthernetLink;
import netkit.api.wire.MacAddress;

/**
 * One stack's attachment to a {@link WireSegment}: an Ethernet link. Frames it sends pass the
 * segment-wide impairment and drop filter (a {@link FaultInjector}) before the segment switches them.
 */
public final class WirePort extends EthernetLink {
    private final WireSegment segment;
    private final LinkReceiver receiver;
    private final FaultInjector injector;
    private volatile boolean closed;

    WirePort(WireSegment segment, long mac, int mtu, LinkReceiver receiver) {
        super(WireDriver.NAME, mac, mtu);
        this.segment = segment;
        this.receiver = receiver;
        this.injector = new FaultInjector(segment.loop(), 14, seeded(segment.impairment()), segment.counters(),
                frame -> {
                    segment.forward(this, frame);
                    return true;
                });
        filter(segment.filter());
    }

    /** The segment's impairment with this port's own random stream: the seed mixed with the MAC. */
    private Impairment seeded(Impairment im) {
        return im.withSeed(im.seed() ^ mac());
    }

    void impairment(Impairment im) {
        injector.impairment(seeded(im));
    }

    void filter(BiPredicate<WirePort, PacketBuffer> f) {
        injector.filter(f == null ? null : frame -> frame.length() < 14 || f.test(this, frame));
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
        return injector.accept(frame);
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
        return "WirePort[" + segment.name() + " " + MacAddress.format(mac()) + "]";
    }
}
