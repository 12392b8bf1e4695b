package netkit.stack.iface;

import java.util.concurrent.atomic.AtomicLong;
import netkit.api.admin.AddressLease;
import netkit.api.admin.DynamicAddress;
import netkit.api.admin.InterfaceStatus;
import netkit.api.admin.LinkCounters;
import netkit.api.spi.link.Link;
import netkit.api.time.Timer;

/**
 * One interface: its configuration, the link currently under it (which may come, go and be
 * swapped while the interface stays) and its counters.
 */
public final class NetInterface {
    private volatile InterfaceConfig config;
    private volatile Link link;
    private volatile netkit.api.admin.FrameTap tap;
    private volatile String linkError;
    private volatile long linkFailures;
    private volatile InterfaceStatus.LinkKind linkKind = InterfaceStatus.LinkKind.NONE;
    /**
     * Packets and bytes are counted under the stack lock (plain stores, see {@link #countRx}); errors
     * and drops may be counted from link threads too: atomic increments for those.
     */
    final AtomicLong rxPackets = new AtomicLong();
    final AtomicLong rxBytes = new AtomicLong();
    final AtomicLong rxErrors = new AtomicLong();
    final AtomicLong rxDropped = new AtomicLong();
    final AtomicLong txPackets = new AtomicLong();
    final AtomicLong txBytes = new AtomicLong();
    final AtomicLong txErrors = new AtomicLong();
    final AtomicLong txDropped = new AtomicLong();
    /** Host drops of the links this interface had before the current one. */
    private volatile long closedLinksHostDrops;
    /** Whether any link so far had a host buffer that could overflow. */
    private volatile boolean hadHostBuffer;
    /** The MAC of the last Ethernet link, kept for the next one unless a MAC is configured. */
    private volatile long lastMac;
    private volatile long revision;
    /** The leased address replacing the configured one, or null. */
    private volatile DynamicAddress dynamic;
    private Timer expiry;

    /** An interface with its first configuration and no link yet. */
    public NetInterface(InterfaceConfig config) {
        this.config = config;
    }

    /** Name. */
    public String name() {
        return config.name();
    }

    /** Current configuration. */
    public InterfaceConfig config() {
        return config;
    }

    /** Replaces the configuration. */
    public void config(InterfaceConfig c) {
        this.config = c;
    }

    /**
     * A configuration has been applied completely (link reopened or not): the revision grows by one.
     * Caller holds the stack lock.
     */
    public void applied() {
        revision++;
    }

    /**
     * The MAC a new link should take: the configured one, else the one the last link had (so a relink
     * or a driver swap keeps the address neighbours have cached), else 0 (the driver chooses).
     */
    public long macForNextLink() {
        long configured = config.mac();
        return configured != 0 ? configured : lastMac;
    }

    /** The link, or null while no driver serves the interface. */
    public Link link() {
        return link;
    }

    /**
     * Attaches or detaches (null) the link. Detaching adds the old link's host drops to the
     * interface's, so the count covers every link it had.
     */
    public void link(Link l) {
        Link old = this.link;
        if (old != null && old != l) {
            long drops = old.hostDrops();
            if (drops > 0) {
                closedLinksHostDrops += drops;
            }
        }
        this.link = l;
        if (l != null) {
            if (l.mac() != 0) {
                lastMac = l.mac();
            }
            if (l.hostDrops() != Link.NO_HOST_BUFFER) {
                hadHostBuffer = true;
            }
            linkKind = l.kind() == Link.Kind.LOOPBACK ? InterfaceStatus.LinkKind.LOOPBACK : InterfaceStatus.LinkKind.ETHERNET;
        }
    }

    /** Why the link failed to open, or null (each non-null one counts as a failure). */
    public void linkError(String why) {
        this.linkError = why;
        if (why != null) {
            linkFailures++;
        }
    }

    /** Why the link failed to open the last time it was opened, or null. */
    public String linkError() {
        return linkError;
    }

    /** How many times a link failed to open for this interface. */
    public long linkFailures() {
        return linkFailures;
    }

    /** The capture tap, or null. */
    public netkit.api.admin.FrameTap tap() {
        return tap;
    }

    /** Sets (or with null removes) the capture tap. */
    public void tap(netkit.api.admin.FrameTap t) {
        this.tap = t;
    }

    /** Shows a frame to the tap, if any. */
    public void tap(netkit.api.buffer.PacketBuffer frame, boolean outbound) {
        netkit.api.admin.FrameTap t = tap;
        if (t != null) {
            t.frame(frame.array(), frame.offset(), frame.length(), outbound);
        }
    }

    /**
     * The dynamic address (a DHCP lease) that replaces the configured address, prefix and gateway
     * and caps the MTU, or null. Caller holds the stack lock.
     */
    public DynamicAddress dynamic() {
        return dynamic;
    }

    /**
     * Installs (or with null removes) the dynamic address and the timer that removes it when it
     * expires (the previous one is cancelled). Caller holds the stack lock.
     */
    public void dynamic(DynamicAddress d, Timer expiryTimer) {
        if (expiry != null) {
            expiry.cancel();
        }
        dynamic = d;
        expiry = expiryTimer;
    }

    /** IPv4 address: the dynamic one, else the configured one (0: none). */
    public int address() {
        DynamicAddress d = dynamic;
        return d != null ? d.address() : config.address();
    }

    /** Prefix length of {@link #address()}. */
    public int prefix() {
        DynamicAddress d = dynamic;
        return d != null ? d.prefix() : config.prefix();
    }

    /** Default gateway through this interface: the dynamic address's router, else the configured one. */
    public int gateway() {
        DynamicAddress d = dynamic;
        return d != null ? d.router() : config.gateway();
    }

    /** Network mask. */
    public int mask() {
        int p = prefix();
        return p == 0 ? 0 : -1 << (32 - p);
    }

    /** Subnet broadcast address (0 when unaddressed or /31, /32). */
    public int broadcastAddress() {
        int a = address();
        return a == 0 || prefix() >= 31 ? 0 : (a | ~mask());
    }

    /** Administratively up. */
    public boolean up() {
        return config.up();
    }

    /** Up with a link attached. */
    public boolean running() {
        return config.up() && link != null;
    }

    /** IP MTU: configured, else the link's, else 1500. */
    public int mtu() {
        Link l = link;
        int m = config.mtu();
        int base = m != 0 ? (l == null ? m : Math.min(m, l.mtu())) : l == null ? 1500 : l.mtu();
        DynamicAddress d = dynamic;
        return d != null && d.mtu() != 0 ? Math.min(base, d.mtu()) : base; // the lease caps it (RFC 2132 §5.1)
    }

    /**
     * Counts a received frame. Caller holds the stack lock (the link layer's receive path), so the
     * counting threads are serialized and a plain release store does what an atomic add did, without
     * its locked instruction per frame (#13); readers on any thread see whole values.
     */
    public void countRx(int bytes) {
        rxPackets.lazySet(rxPackets.get() + 1);
        rxBytes.lazySet(rxBytes.get() + bytes);
    }

    /** Counts a malformed received frame. */
    public void countRxError() {
        rxErrors.incrementAndGet();
    }

    /** Counts a received frame that was dropped (queue full, not for us, unknown type). */
    public void countRxDrop() {
        rxDropped.incrementAndGet();
    }

    /** Counts a sent frame. Caller holds the stack lock (as {@link #countRx}). */
    public void countTx(int bytes) {
        txPackets.lazySet(txPackets.get() + 1);
        txBytes.lazySet(txBytes.get() + bytes);
    }

    /** Counts a frame the link refused. */
    public void countTxError() {
        txErrors.incrementAndGet();
    }

    /** Counts a frame dropped before the link (no link, ARP failed). */
    public void countTxDrop() {
        txDropped.incrementAndGet();
    }

    /** A snapshot for ifconfig with lease times counted from time 0 (tests). */
    public InterfaceStatus status() {
        return status(0);
    }

    /** A snapshot for ifconfig; lease times counted from {@code nowNanos} (loop clock). */
    public InterfaceStatus status(long nowNanos) {
        InterfaceConfig c = config;
        Link l = link;
        DynamicAddress d = dynamic;
        AddressLease lease = d == null ? null : new AddressLease(d.origin(), secondsLeft(d.expiresNanos(), nowNanos),
                secondsLeft(d.renewNanos(), nowNanos), secondsLeft(d.rebindNanos(), nowNanos));
        return new InterfaceStatus(c.name(), c.driver(), l != null, linkKind, linkError, l == null ? c.mac() : l.mac(),
                address(), prefix(), mtu(), c.up(), running(),
                new LinkCounters(rxPackets.get(), rxBytes.get(), rxErrors.get(), rxDropped.get(), txPackets.get(),
                        txBytes.get(), txErrors.get(), txDropped.get(), overruns(l)), revision, lease);
    }

    private static long secondsLeft(long deadline, long now) {
        return Math.max(0, (deadline - now) / 1_000_000_000L);
    }

    /** Host drops of every link so far, read from the current link's host now. */
    private long overruns(Link current) {
        long now = current == null ? Link.NO_HOST_BUFFER : current.hostDrops();
        if (now == Link.HOST_DROPS_UNKNOWN) {
            return LinkCounters.OVERRUNS_UNKNOWN;
        }
        if (now == Link.NO_HOST_BUFFER && !hadHostBuffer) {
            return LinkCounters.NO_HOST_BUFFER;
        }
        return closedLinksHostDrops + Math.max(now, 0);
    }
}
