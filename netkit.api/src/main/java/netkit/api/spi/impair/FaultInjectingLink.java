package netkit.api.spi.impair;

import java.io.IOException;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.link.Link;
import netkit.api.spi.link.LinkConfig;
import netkit.api.spi.link.LinkDriver;
import netkit.api.spi.link.LinkReceiver;
import netkit.api.time.EventLoop;

/**
 * A {@link Link} decorator that impairs another link in both directions: frames sent pass one
 * {@link FaultInjector} before the inner link, frames the inner link receives pass another before
 * the receiver. Works on any driver's link (wire, VXLAN, TAP, loopback).
 */
public final class FaultInjectingLink implements Link {
    /** Opens the inner link, given the receiver it must deliver to. */
    @FunctionalInterface
    public interface Opener {
        /** Opens the link. */
        Link open(LinkReceiver receiver) throws IOException;
    }

    private static final int ETHERNET_HEADER = 14;

    private final FaultCounters counters = new FaultCounters();
    private final FaultInjector receive;
    private final FaultInjector transmit;
    private final Link inner;
    private final boolean corrupts;
    private volatile boolean closed;

    /**
     * Opens a link through {@code opener} and impairs it.
     *
     * @param opener   opens the inner link with the receiver given to it
     * @param receiver where received frames go once impaired
     * @param out      what happens to frames sent
     * @param in       what happens to frames received
     * @param loop     runs delayed deliveries
     * @throws IOException when the inner link cannot be opened
     */
    public FaultInjectingLink(Opener opener, LinkReceiver receiver, Impairment out, Impairment in, EventLoop loop)
            throws IOException {
        this.receive = new FaultInjector(loop, ETHERNET_HEADER, in, counters, frame -> {
            if (closed) {
                frame.release();
                return false;
            }
            receiver.receive(frame);
            return true;
        });
        this.inner = opener.open(new LinkReceiver() {
            @Override
            public void receive(PacketBuffer frame) {
                receive.accept(frame);
            }

            @Override
            public void discarded() {
                receiver.discarded();
            }
        });
        int header = inner.kind() == Kind.ETHERNET ? ETHERNET_HEADER : 0;
        receive.headerLength(header);
        this.transmit = new FaultInjector(loop, header, out, counters, inner::transmit);
        this.corrupts = out.corrupt() > 0 || in.corrupt() > 0;
    }

    /**
     * Opens a link of {@code driver} for an interface: checks the parameter keys against the
     * driver's and the impairment keys, and when impairment keys are present opens the driver with
     * the rest and decorates the link; otherwise returns the driver's link itself.
     *
     * @param defaultSeed the random seed when the parameters give none
     * @throws IllegalArgumentException for an unknown key or a bad impairment value
     * @throws IOException              when the driver cannot open the link
     */
    public static Link open(LinkDriver driver, LinkConfig config, LinkReceiver receiver, EventLoop loop,
            long defaultSeed) throws IOException {
        ImpairmentParameters.checkKeys(driver.name(), driver.parameterKeys(), config.parameters());
        ImpairmentParameters impairment = ImpairmentParameters.parse(config.parameters(), defaultSeed);
        if (impairment == null) {
            return driver.open(config, receiver);
        }
        LinkConfig plain = new LinkConfig(config.iface(), config.mtu(), config.mac(),
                ImpairmentParameters.driverParameters(config.parameters()), config.pool());
        return new FaultInjectingLink(r -> driver.open(plain, r), receiver, impairment.transmit(),
                impairment.receive(), loop);
    }

    /** What the impairment did so far, both directions together. */
    public FaultCounters counters() {
        return counters;
    }

    /** The decorated link. */
    public Link inner() {
        return inner;
    }

    @Override
    public Kind kind() {
        return inner.kind();
    }

    @Override
    public int mtu() {
        return inner.mtu();
    }

    @Override
    public long mac() {
        return inner.mac();
    }

    /** False when corruption is configured, whatever the inner link says: checksums must catch it. */
    @Override
    public boolean checksumNotNeeded() {
        return !corrupts && inner.checksumNotNeeded();
    }

    @Override
    public boolean transmit(PacketBuffer frame) {
        if (closed) {
            frame.release();
            return false;
        }
        return transmit.accept(frame);
    }

    @Override
    public String driver() {
        return inner.driver();
    }

    @Override
    public long hostDrops() {
        return inner.hostDrops();
    }

    @Override
    public void close() {
        closed = true;
        inner.close();
    }
}
