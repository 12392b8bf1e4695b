package netkit.api.spi.support;

import netkit.api.spi.link.Link;

/**
 * What every Ethernet link driver shares: a MAC, an MTU, the driver's name, Ethernet framing and
 * real transport checksums. Drivers add transmit, close and their receive path.
 */
public abstract class EthernetLink implements Link {
    private final String driver;
    private final long mac;
    private final int mtu;

    /** A link of {@code driver} with this MAC and IP MTU. */
    protected EthernetLink(String driver, long mac, int mtu) {
        this.driver = driver;
        this.mac = mac;
        this.mtu = mtu;
    }

    @Override
    public final Kind kind() {
        return Kind.ETHERNET;
    }

    @Override
    public final int mtu() {
        return mtu;
    }

    @Override
    public final long mac() {
        return mac;
    }

    @Override
    public final boolean checksumNotNeeded() {
        return false;
    }

    @Override
    public final String driver() {
        return driver;
    }
}
