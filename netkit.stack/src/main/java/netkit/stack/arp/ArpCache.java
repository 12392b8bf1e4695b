package netkit.stack.arp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import netkit.api.admin.ArpEntry;
import netkit.api.buffer.PacketBuffer;
import netkit.api.stats.ArpCounter;
import netkit.api.stats.CounterSet;
import netkit.api.time.Timer;
import netkit.api.wire.ArpPacket;
import netkit.api.wire.MacAddress;
import netkit.stack.iface.NetInterface;

/**
 * The ARP cache and resolver (RFC 826, RFC 1122 §2.3.2): resolves next hops, holds a bounded
 * queue of packets per unresolved neighbour, answers for own addresses, refreshes stale entries
 * and gives up after a few unanswered requests. Used under the stack lock.
 *
 * <p>Queued packets are charged the memory their buffers hold ({@link PacketBuffer#capacity()},
 * as Linux charges skb truesize), bounded per neighbour in packets and bytes (the oldest make
 * room, RFC 1122 §2.3.2.2) and across all neighbours in bytes (the new packet is dropped); every
 * drop counts in {@link ArpCounter#QUEUE_DROPS}. Senders no neighbour can be (broadcast, multicast
 * or zero MAC; martian protocol address) are never learned.
 */
public final class ArpCache {
    /** What the cache needs from the stack. */
    public interface Port {
        /** Current time in nanoseconds. */
        long nanoTime();

        /** Runs {@code task} later under the stack lock. */
        Timer schedule(long delayNanos, Runnable task);

        /** Sends an ARP packet from {@code senderIp} out of {@code iface} to {@code dstMac}. */
        void sendArp(NetInterface iface, long dstMac, int op, int senderIp, long targetMac, int targetIp);

        /** Sends an IPv4 packet to a resolved neighbour. */
        void transmitIp(NetInterface iface, long dstMac, PacketBuffer ipPacket);

        /** Resolution failed for a queued packet: drop it (and tell its sender, RFC 1122 §2.3.2.2). */
        void unresolved(NetInterface iface, PacketBuffer ipPacket);

        /**
         * Whether no neighbour on {@code iface} can have protocol address {@code ip}: a martian
         * source (broadcast, multicast, class E, 0/8, 127/8 or our own address).
         */
        boolean impossibleSender(NetInterface iface, int ip);
    }

    /**
     * An entry's interface and address. Lookups reuse one probe key (the cache runs under the stack
     * lock) so a frame sent costs no key object; only a new entry gets its own. The hash is the one a
     * {@code record Key(String iface, int ip)} has, so the map's iteration order is unchanged.
     */
    private static final class Key {
        private String iface;
        private int ip;

        Key(String iface, int ip) {
            this.iface = iface;
            this.ip = ip;
        }

        String iface() {
            return iface;
        }

        int ip() {
            return ip;
        }

        Key set(String iface, int ip) {
            this.iface = iface;
            this.ip = ip;
            return this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.ip == ip && k.iface.equals(iface);
        }

        @Override
        public int hashCode() {
            return iface.hashCode() * 31 + ip;
        }
    }

    private static final class Entry {
        long mac;
        long confirmed;
        boolean probing;
        int tries;
        Timer timer;
        final ArrayDeque<PacketBuffer> queue = new ArrayDeque<>(2);
        /** Capacity of the buffers in {@link #queue}. */
        long queueBytes;
    }

    /** An RFC 5227 conflict watch on one interface's address. */
    public interface Watch {
        /** The watched interface's name. */
        String iface();

        /** The probed address. */
        int address();

        /** Another host, {@code mac}, shows the address in use. */
        void conflict(long mac);
    }

    private final Map<Key, Entry> entries = new HashMap<>();
    private final List<Watch> watches = new ArrayList<>();
    /** The lookup key reused under the stack lock; never stored in {@link #entries}. */
    private final Key probe = new Key("", 0);
    /**
     * The entry the last {@link #send} found, for the interface and next hop it was found for: a bulk
     * sender sends every frame to one neighbour, and this skips the map (the key's hash and equals)
     * per frame. Forgotten whenever an entry leaves the map.
     */
    private NetInterface lastIface;
    private int lastHop;
    private Entry lastEntry;
    private final Port port;
    private final CounterSet<ArpCounter> counters;
    private volatile ArpSettings settings;
    /** Capacity of the buffers queued across all entries. */
    private long pendingBytes;

    /** A cache reporting to {@code counters}. */
    public ArpCache(Port port, CounterSet<ArpCounter> counters, ArpSettings settings) {
        this.port = port;
        this.counters = counters;
        this.settings = settings;
    }

    /** Changes the tunables. */
    public void settings(ArpSettings s) {
        this.settings = s;
    }

    /** Sends {@code ipPacket} to {@code nextHop} on {@code iface}, resolving it first when needed. */
    public void send(NetInterface iface, int nextHop, PacketBuffer ipPacket) {
        Entry e;
        if (lastEntry != null && lastIface == iface && lastHop == nextHop) {
            e = lastEntry;
        } else {
            e = entries.get(probe.set(iface.name(), nextHop));
            if (e != null) {
                lastIface = iface;
                lastHop = nextHop;
                lastEntry = e;
            }
        }
        long now = port.nanoTime();
        ArpSettings s = settings;
        if (e != null && e.mac != 0) {
            if (now - e.confirmed > s.reachableMillis() * 1_000_000L && !e.probing) {
                // Stale: keep using it, but re-confirm (RFC 1122 §2.3.2.1, unicast poll).
                e.probing = true;
                e.tries = 0;
                request(iface, new Key(iface.name(), nextHop), e, e.mac);
            }
            port.transmitIp(iface, e.mac, ipPacket);
            return;
        }
        if (e == null) {
            Key key = new Key(iface.name(), nextHop);
            evictIfFull();
            e = new Entry();
            entries.put(key, e);
            enqueue(iface, e, ipPacket, s);
            request(iface, key, e, MacAddress.BROADCAST);
            return;
        }
        enqueue(iface, e, ipPacket, s);
    }

    /**
     * Queues {@code p} on unresolved {@code e}: drops the oldest while the neighbour's packet or
     * byte limit (Linux unres_qlen, unres_qlen_bytes) or the cache-wide byte limit would be
     * exceeded (RFC 1122 §2.3.2.2: keep the latest), then {@code p} itself when the cache-wide limit
     * still would be (Linux counts both as unres_discards).
     */
    private void enqueue(NetInterface iface, Entry e, PacketBuffer p, ArpSettings s) {
        long size = p.capacity();
        while (!e.queue.isEmpty() && (e.queue.size() >= s.queuePerNeighbour()
                || e.queueBytes + size > s.queueBytesPerNeighbour()
                || pendingBytes + size > s.queueBytesTotal())) {
            discard(iface, dequeue(e));
        }
        if (e.queue.size() >= s.queuePerNeighbour() || pendingBytes + size > s.queueBytesTotal()) {
            discard(iface, p);
            return;
        }
        e.queue.add(p);
        e.queueBytes += size;
        pendingBytes += size;
    }

    private void discard(NetInterface iface, PacketBuffer p) {
        counters.inc(ArpCounter.QUEUE_DROPS);
        iface.countTxDrop();
        p.release();
    }

    /** The oldest packet queued on {@code e}, uncharged; null when none. */
    private PacketBuffer dequeue(Entry e) {
        PacketBuffer p = e.queue.poll();
        if (p != null) {
            e.queueBytes -= p.capacity();
            pendingBytes -= p.capacity();
        }
        return p;
    }

    private void request(NetInterface iface, Key key, Entry e, long dstMac) {
        e.tries++;
        counters.inc(ArpCounter.OUT_REQUESTS);
        port.sendArp(iface, dstMac, ArpPacket.OP_REQUEST, iface.address(), 0, key.ip());
        e.timer = port.schedule(settings.retryMillis() * 1_000_000L, () -> retry(iface, key, e));
    }

    private void retry(NetInterface iface, Key key, Entry e) {
        if (entries.get(key) != e) {
            return;
        }
        if (e.mac != 0 && !e.probing) {
            return;
        }
        if (e.tries < settings.retries()) {
            request(iface, key, e, e.mac != 0 ? e.mac : MacAddress.BROADCAST);
            return;
        }
        entries.remove(key);
        lastEntry = null;
        counters.inc(ArpCounter.UNRESOLVED);
        for (PacketBuffer p; (p = dequeue(e)) != null;) {
            counters.inc(ArpCounter.UNRESOLVED_DROPS);
            iface.countTxDrop();
            port.unresolved(iface, p);
        }
    }

    /** Handles a received ARP packet (the view is positioned on it). */
    public void input(NetInterface iface, ArpPacket arp) {
        int op = arp.operation();
        counters.inc(op == ArpPacket.OP_REQUEST ? ArpCounter.IN_REQUESTS : ArpCounter.IN_REPLIES);
        int spa = arp.senderIp();
        long sha = arp.senderMac();
        int tpa = arp.targetIp();
        if (!watches.isEmpty()) {
            watch(iface, op, spa, sha, tpa);
        }
        // A sender no neighbour can be is never learned nor answered (Linux: the martian check of
        // the reply's route fails): broadcast or multicast hardware addresses, 0 (no station's, and
        // the cache's mark of an unresolved entry), and martian protocol addresses. Sender 0.0.0.0
        // is an RFC 5227 probe: answered, never learned.
        if (sha == 0 || MacAddress.isMulticast(sha) || spa == 0 && op == ArpPacket.OP_REPLY
                || spa != 0 && port.impossibleSender(iface, spa)) {
            counters.inc(ArpCounter.IN_ERRORS);
            return;
        }
        boolean forUs = iface.address() != 0 && tpa == iface.address();
        Key key = new Key(iface.name(), spa);
        Entry e = entries.get(key);
        // RFC 826 "merge flag": update an existing entry; add one only when the packet is for us.
        if (spa != 0 && (e != null || forUs)) {
            if (e == null) {
                evictIfFull();
                e = new Entry();
                entries.put(key, e);
            }
            learn(iface, e, sha);
        }
        if (forUs && op == ArpPacket.OP_REQUEST) {
            counters.inc(ArpCounter.OUT_REPLIES);
            port.sendArp(iface, sha, ArpPacket.OP_REPLY, iface.address(), sha, spa);
        }
    }

    /**
     * RFC 5227 §2.1.1: a probed address is in use when any ARP packet has it as sender address, or
     * when another host probes for it at the same time (sender 0, target the address).
     */
    private void watch(NetInterface iface, int op, int spa, long sha, int tpa) {
        long own = iface.link() == null ? 0 : iface.link().mac();
        if (sha == own) {
            return;
        }
        for (Watch w : List.copyOf(watches)) {
            if (w.iface().equals(iface.name())
                    && (spa == w.address() || spa == 0 && op == ArpPacket.OP_REQUEST && tpa == w.address())) {
                w.conflict(sha);
            }
        }
    }

    /** Starts telling {@code w} of conflicts for its address (until {@link #unwatch}). */
    public void watch(Watch w) {
        watches.add(w);
    }

    /** Stops {@code w}. */
    public void unwatch(Watch w) {
        watches.remove(w);
    }

    /** Sends an RFC 5227 probe for {@code target}: a broadcast request from sender address 0. */
    public void probe(NetInterface iface, int target) {
        counters.inc(ArpCounter.OUT_REQUESTS);
        port.sendArp(iface, MacAddress.BROADCAST, ArpPacket.OP_REQUEST, 0, 0, target);
    }

    private void learn(NetInterface iface, Entry e, long mac) {
        if (e.mac == 0) {
            counters.inc(ArpCounter.RESOLVED);
        }
        e.mac = mac;
        e.confirmed = port.nanoTime();
        e.probing = false;
        e.tries = 0;
        if (e.timer != null) {
            e.timer.cancel();
            e.timer = null;
        }
        for (PacketBuffer p; (p = dequeue(e)) != null;) {
            port.transmitIp(iface, mac, p);
        }
    }

    /** Gratuitous ARP announcing {@code iface}'s address (RFC 5227 §2.3). */
    public void announce(NetInterface iface) {
        if (iface.address() != 0) {
            counters.inc(ArpCounter.OUT_REQUESTS);
            port.sendArp(iface, MacAddress.BROADCAST, ArpPacket.OP_REQUEST, iface.address(), 0, iface.address());
        }
    }

    private void evictIfFull() {
        if (entries.size() < settings.maxEntries()) {
            return;
        }
        Map.Entry<Key, Entry> oldest = null;
        for (Map.Entry<Key, Entry> me : entries.entrySet()) {
            if (oldest == null || me.getValue().confirmed - oldest.getValue().confirmed < 0) {
                oldest = me;
            }
        }
        if (oldest != null) {
            drop(oldest.getKey(), oldest.getValue());
        }
    }

    private void drop(Key key, Entry e) {
        entries.remove(key);
        lastEntry = null;
        if (e.timer != null) {
            e.timer.cancel();
        }
        for (PacketBuffer p; (p = dequeue(e)) != null;) {
            p.release();
        }
    }

    /** Forgets the entries of {@code iface} (all when null); returns how many. */
    public int flush(String iface) {
        int n = 0;
        for (Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Key, Entry> me = it.next();
            if (iface == null || me.getKey().iface().equals(iface)) {
                Entry e = me.getValue();
                it.remove();
                lastEntry = null;
                if (e.timer != null) {
                    e.timer.cancel();
                }
                for (PacketBuffer p; (p = dequeue(e)) != null;) {
                    p.release();
                }
                n++;
            }
        }
        return n;
    }

    /** The resolved MAC of {@code ip} on {@code iface}, or 0. */
    public long lookup(String iface, int ip) {
        Entry e = entries.get(probe.set(iface, ip));
        return e == null ? 0 : e.mac;
    }

    /** The cache for {@code arp} listings. */
    public List<ArpEntry> list() {
        long now = port.nanoTime();
        long reachable = settings.reachableMillis() * 1_000_000L;
        List<ArpEntry> out = new ArrayList<>();
        entries.forEach((k, e) -> out.add(new ArpEntry(k.ip(), e.mac, k.iface(),
                e.mac == 0 ? "INCOMPLETE" : now - e.confirmed > reachable ? "STALE" : "REACHABLE",
                e.mac == 0 ? 0 : (now - e.confirmed) / 1_000_000L, e.queue.size())));
        out.sort((a, b) -> a.iface().equals(b.iface()) ? Integer.compareUnsigned(a.address(), b.address())
                : a.iface().compareTo(b.iface()));
        return out;
    }
}
