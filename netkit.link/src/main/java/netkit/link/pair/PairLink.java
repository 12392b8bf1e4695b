package netkit.link.pair;

import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.link.Link;
import netkit.api.spi.link.LinkReceiver;
import netkit.api.wire.MacAddress;

/** One end of a {@link PairDriver} pair: what it sends, the other end receives. */
public final class PairLink implements Link {
    private static final int ETHERNET_HEADER = 14;

    private final PairDriver driver;
    private final String pair;
    private final long mac;
    private final int mtu;
    private final LinkReceiver receiver;
    /** The other end, null while there is none; set under the driver's lock. */
    volatile PairLink peer;
    private volatile boolean closed;

    PairLink(PairDriver driver, String pair, long mac, int mtu, LinkReceiver receiver) {
        this.driver = driver;
        this.pair = pair;
        this.mac = mac;
        this.mtu = mtu;
        this.receiver = receiver;
    }

    /** The pair's name. */
    public String pairName() {
        return pair;
    }

    @Override
    public Kind kind() {
        return Kind.ETHERNET;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public long mac() {
        return mac;
    }

    /** True: the two ends are in one JVM and a frame is handed over as it is (veth's offloads). */
    @Override
    public boolean checksumNotNeeded() {
        return true;
    }

    /**
     * Hands the frame to the other end's receiver. Dropped (false) when this end is closed, there is
     * no other end, or the frame exceeds this end's or the other end's MTU (as a veth drops it).
     */
    @Override
    public boolean transmit(PacketBuffer frame) {
        PairLink p = peer;
        int payload = frame.length() - ETHERNET_HEADER;
        if (closed || p == null || p.closed || payload > mtu || payload > p.mtu) {
            frame.release();
            return false;
        }
        p.receiver.receive(frame); // the receiver queues it for its stack's loop: no re-entry
        return true;
    }

    @Override
    public String driver() {
        return PairDriver.NAME;
    }

    @Override
    public void close() {
        closed = true;
        driver.detach(this);
    }

    @Override
    public String toString() {
        return "PairLink[" + pair + " " + MacAddress.format(mac) + "]";
    }
}
