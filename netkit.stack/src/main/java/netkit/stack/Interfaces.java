package netkit.stack;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import netkit.api.ErrnoException;
import netkit.api.admin.DynamicAddress;
import netkit.api.admin.RouteEntry;
import netkit.api.buffer.PacketPool;
import netkit.api.spi.impair.FaultInjectingLink;
import netkit.api.spi.impair.ImpairmentParameters;
import netkit.api.spi.link.Link;
import netkit.api.spi.link.LinkConfig;
import netkit.api.spi.link.LinkDriver;
import netkit.api.time.EventLoop;
import netkit.api.time.Timer;
import netkit.stack.iface.InterfaceConfig;
import netkit.stack.iface.InterfaceLookup;
import netkit.stack.iface.NetInterface;
import netkit.stack.route.RoutingTable;

/**
 * The interfaces of a stack and the link drivers that serve them: opens a link when an
 * interface's driver is present, closes it when the driver leaves (the interface stays configured),
 * reopens on reconfiguration or driver swap, and keeps connected and gateway routes in step. Caller
 * holds the stack lock, except for {@link #snapshot()}.
 */
final class Interfaces implements InterfaceLookup {
    private static final System.Logger LOG = netkit.api.spi.support.NetkitLog.logger(Interfaces.class);

    private final String stackName;
    private final RoutingTable routing;
    private final PacketPool pool;
    private final EventLoop loop;
    private final Function<NetInterface, RxQueue> receivers;
    private final Map<String, NetInterface> byName = new TreeMap<>();
    /**
     * The same by hash: {@link #get} runs per frame sent and received (an interface name's hash is
     * cached in its String, where the TreeMap compared names along a path per lookup).
     */
    private final Map<String, NetInterface> byHash = new HashMap<>();
    private volatile NetInterface[] snapshot = new NetInterface[0];
    /** Address -> interface, rebuilt (copy on write) whenever an interface or its address changes. */
    private volatile AddressIndex owners = AddressIndex.EMPTY;
    private final Map<String, RxQueue> queues = new HashMap<>();
    private final Map<String, LinkDriver> drivers = new HashMap<>();
    private byte[] macKey = new byte[0];

    /**
     * Interfaces of stack {@code stackName} keeping {@code routing} in step, giving their links
     * {@code pool} for received frames and {@code loop} for impairment timing, and receiving each link's frames through the queue {@code receivers} makes for its
     * interface.
     */
    Interfaces(String stackName, RoutingTable routing, PacketPool pool, EventLoop loop,
            Function<NetInterface, RxQueue> receivers) {
        this.stackName = stackName;
        this.routing = routing;
        this.pool = pool;
        this.loop = loop;
        this.receivers = receivers;
    }

    /**
     * Sets the key interface MACs are derived from (see {@link #stableMac}). Caller holds the stack
     * lock, or the stack is not running yet.
     */
    void macKey(byte[] key) {
        this.macKey = key.clone();
    }

    /**
     * The MAC of interface {@code iface} when none is configured and it never had one: a locally
     * administered unicast address from SHA-256 over the key, the stack's name and the interface's
     * name, so it is the same at every start of the same installation (systemd's
     * {@code MACAddressPolicy=persistent}) and differs between interfaces and stacks.
     */
    long stableMac(String iface) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(macKey);
            sha.update((byte) 0);
            sha.update(stackName.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(iface.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            byte[] h = sha.digest();
            long bits = 0;
            for (int i = 0; i < 6; i++) {
                bits = bits << 8 | (h[i] & 0xff);
            }
            return netkit.api.wire.MacAddress.localUnicast(bits);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }

    @Override
    public NetInterface get(String name) {
        return byHash.get(name);
    }

    /** The driver called {@code driverName}, or null. Caller holds the stack lock. */
    public LinkDriver driver(String driverName) {
        return drivers.get(driverName);
    }

    @Override
    public NetInterface[] snapshot() {
        return snapshot;
    }

    @Override
    public NetInterface owner(int address) {
        return owners.get(address);
    }

    /** Rebuilds the address index from the interfaces as they are now. Caller holds the stack lock. */
    private void reindex() {
        owners = AddressIndex.of(snapshot);
    }

    /**
     * An immutable open-addressing table from address to interface (linear probing, at most half
     * full, 0 marks a free slot: address 0 is nobody's). Built in name order keeping the first
     * interface of an address, as the scan it replaces found it.
     */
    private static final class AddressIndex {
        static final AddressIndex EMPTY = new AddressIndex(new int[1], new NetInterface[1]);

        private final int[] keys;
        private final NetInterface[] values;
        private final int mask;

        private AddressIndex(int[] keys, NetInterface[] values) {
            this.keys = keys;
            this.values = values;
            this.mask = keys.length - 1;
        }

        static AddressIndex of(NetInterface[] all) {
            int size = Integer.highestOneBit(Math.max(1, all.length) * 2) * 2;
            int[] keys = new int[size];
            NetInterface[] values = new NetInterface[size];
            for (NetInterface i : all) {
                int a = i.address();
                if (a == 0) {
                    continue;
                }
                int at = slot(a, size - 1);
                while (keys[at] != 0 && keys[at] != a) {
                    at = (at + 1) & (size - 1);
                }
                if (keys[at] == 0) {
                    keys[at] = a;
                    values[at] = i;
                }
            }
            return new AddressIndex(keys, values);
        }

        private static int slot(int address, int mask) {
            return (address * 0x9E3779B9 >>> 16) & mask;
        }

        NetInterface get(int address) {
            if (address == 0) {
                return null;
            }
            int[] k = keys;
            for (int at = slot(address, mask);; at = (at + 1) & mask) {
                int key = k[at];
                if (key == address) {
                    return values[at];
                }
                if (key == 0) {
                    return null;
                }
            }
        }
    }

    /**
     * Adds or reconfigures an interface; returns it. Refuses parameter keys its driver (when present)
     * does not take.
     */
    NetInterface configure(InterfaceConfig cfg) {
        cfg.validate();
        LinkDriver driver = drivers.get(cfg.driver());
        if (driver != null) {
            ImpairmentParameters.checkKeys(driver.name(), driver.parameterKeys(), cfg.parameters());
        }
        NetInterface iface = byName.get(cfg.name());
        boolean relink;
        if (iface == null) {
            iface = new NetInterface(cfg);
            byName.put(cfg.name(), iface);
            byHash.put(cfg.name(), iface);
            snapshot = byName.values().toArray(new NetInterface[0]);
            relink = true;
        } else {
            InterfaceConfig old = iface.config();
            relink = !old.driver().equals(cfg.driver()) || !old.parameters().equals(cfg.parameters())
                    || old.mac() != cfg.mac() || old.mtu() != cfg.mtu() || iface.link() == null;
            iface.config(cfg);
        }
        reindex();
        if (relink) {
            closeLink(iface);
            openLink(iface);
        }
        updateRoutes(iface);
        iface.applied();
        return iface;
    }

    /** Removes an interface, its link and routes; returns whether there was one. */
    boolean remove(String name) {
        NetInterface iface = byName.remove(name);
        byHash.remove(name);
        if (iface != null) {
            iface.dynamic(null, null);
            snapshot = byName.values().toArray(new NetInterface[0]);
            reindex();
            closeLink(iface);
            routing.removeInterface(name, null);
        }
        return iface != null;
    }

    /** Adds a link driver; returns the interfaces that got a link from it. */
    List<NetInterface> addDriver(LinkDriver d) {
        drivers.put(d.name(), d);
        List<NetInterface> linked = new ArrayList<>();
        for (NetInterface iface : byName.values()) {
            if (iface.link() == null && iface.config().driver().equals(d.name())) {
                openLink(iface);
                updateRoutes(iface);
                linked.add(iface);
            }
        }
        return linked;
    }

    /** Removes a link driver; its interfaces lose their links but stay configured. */
    void removeDriver(LinkDriver d) {
        if (drivers.get(d.name()) != d) {
            return;
        }
        drivers.remove(d.name());
        for (NetInterface iface : byName.values()) {
            if (iface.config().driver().equals(d.name())) {
                closeLink(iface);
            }
        }
    }

    private void openLink(NetInterface iface) {
        InterfaceConfig cfg = iface.config();
        LinkDriver d = drivers.get(cfg.driver());
        iface.linkError(null);
        if (d == null) {
            return; // stays configured, not running, until the driver appears
        }
        RxQueue q = receivers.apply(iface);
        try {
            // Impairment parameters work on every driver: the stack decorates the link (seeded per interface).
            long mac = iface.macForNextLink();
            Link link = FaultInjectingLink.open(d, new LinkConfig(cfg.name(), cfg.mtu(), mac != 0 ? mac : stableMac(cfg.name()),
                    cfg.parameters(), pool), q, loop, (stackName + "/" + cfg.name()).hashCode());
            q.link(link);
            iface.link(link);
            queues.put(cfg.name(), q);
        } catch (IOException | RuntimeException e) {
            iface.linkError(e.getMessage() != null ? e.getMessage() : e.toString());
            LOG.log(System.Logger.Level.WARNING, "cannot open " + cfg.driver() + " link for " + cfg.name(), e);
        }
    }

    /** The receive queue of interface {@code name}'s link, or null (tests). Caller holds the stack lock. */
    RxQueue queue(String name) {
        return queues.get(name);
    }

    /** The stack failed: every interface stops receiving (links stay open). Caller holds the stack lock. */
    void stopReceiving() {
        queues.values().forEach(RxQueue::stop);
    }

    private void closeLink(NetInterface iface) {
        Link l = iface.link();
        iface.link(null);
        RxQueue q = queues.remove(iface.name());
        if (q != null) {
            q.close();
        }
        if (l != null) {
            try {
                l.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "closing link of " + iface.name() + " failed", e);
            }
        }
    }

    /**
     * Installs (or with null removes) {@code iface}'s dynamic address, with a timer that removes it
     * at its expiry, and brings the routes in step; returns whether the address changed.
     */
    boolean dynamic(NetInterface iface, DynamicAddress d, Timer expiryTimer) {
        int before = iface.address();
        iface.dynamic(d, expiryTimer);
        reindex();
        updateRoutes(iface);
        return iface.address() != before;
    }

    /** Connected route for the interface's network, default route through its gateway. */
    void updateRoutes(NetInterface iface) {
        String name = iface.name();
        routing.removeInterface(name, RoutingTable.CONNECTED);
        routing.removeInterface(name, "gateway");
        int address = iface.address();
        if (address == 0) {
            return;
        }
        try {
            routing.add(new RouteEntry(address & iface.mask(), iface.prefix(), 0, name, address,
                    RoutingTable.CONNECTED, 0));
            if (iface.gateway() != 0) {
                routing.add(new RouteEntry(0, 0, iface.gateway(), name, address, "gateway", 0));
            }
        } catch (ErrnoException e) {
            LOG.log(System.Logger.Level.WARNING, "route for " + name + ": " + e.getMessage());
        }
    }

    /** Closes every link (stack shutdown). */
    void closeAll() {
        for (NetInterface iface : byName.values()) {
            closeLink(iface);
        }
    }
}
