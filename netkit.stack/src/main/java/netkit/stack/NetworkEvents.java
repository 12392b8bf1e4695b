package netkit.stack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import netkit.api.SockAddr;
import netkit.api.admin.DynamicAddress;
import netkit.api.admin.NetworkEvent;
import netkit.api.admin.NetworkListener;
import netkit.api.spi.protocol.TransportProtocol;
import netkit.api.spi.support.NetkitLog;
import netkit.api.time.EventLoop;
import netkit.stack.iface.NetInterface;

/**
 * Turns changes of a stack into {@link NetworkEvent}s and delivers them to the listeners. After each
 * change (configuration, driver coming or going, dynamic address, protocol) the stack calls
 * {@link #observe} with its lock held: the interfaces are compared with what was last seen and the
 * differences queued. The queue is delivered by one task of the stack's loop that takes the lock only
 * to empty the queue and calls the listeners without it, in order, as readiness listeners are called
 * (README, "Locking contract"): a listener never runs under the stack lock, so it cannot deadlock
 * with a thread calling the stack, and a slow listener delays only later events and the loop.
 */
final class NetworkEvents {
    private static final System.Logger LOG = NetkitLog.logger(NetworkEvents.class);

    /** What an interface looked like when last observed. */
    private record Seen(String driver, String linkDriver, boolean running, int address, int prefix,
            DynamicAddress dynamic, long linkFailures, String linkError) {
        static Seen of(NetInterface i) {
            String configured = i.config().driver();
            return new Seen(configured, i.link() != null ? configured : null, i.running(), i.address(), i.prefix(),
                    i.dynamic(), i.linkFailures(), i.linkError());
        }
    }

    private final String stackName;
    private final EventLoop loop;
    private final ReentrantLock lock;
    private final List<NetworkListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Seen> seen = new HashMap<>(); // stack lock
    private final List<NetworkEvent> queue = new ArrayList<>(); // stack lock
    private boolean dispatchQueued; // stack lock

    NetworkEvents(String stackName, EventLoop loop, ReentrantLock lock) {
        this.stackName = stackName;
        this.loop = loop;
        this.lock = lock;
    }

    void add(NetworkListener l) {
        if (!listeners.contains(l)) {
            listeners.add(l);
        }
    }

    boolean remove(NetworkListener l) {
        return listeners.remove(l);
    }

    /** A protocol joined or left. Caller holds the stack lock. */
    void protocol(TransportProtocol p, boolean added) {
        Map<String, Object> props = base();
        props.put(NetworkEvent.PROTOCOL, p.name());
        props.put(NetworkEvent.IP_PROTOCOL, p.protocol());
        queue(added ? NetworkEvent.PROTOCOL_ADDED : NetworkEvent.PROTOCOL_REMOVED, props);
    }

    /**
     * Compares the interfaces now with what was last seen and queues the events of the differences.
     * Caller holds the stack lock.
     */
    void observe(NetInterface[] now, long nowNanos) {
        Map<String, NetInterface> current = new LinkedHashMap<>();
        for (NetInterface i : now) {
            current.put(i.name(), i);
        }
        for (var it = seen.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            if (!current.containsKey(e.getKey())) {
                removed(e.getKey(), e.getValue());
                it.remove();
            }
        }
        for (NetInterface i : now) {
            Seen before = seen.get(i.name());
            Seen after = Seen.of(i);
            if (before == null) {
                added(i.name(), after, nowNanos);
            } else if (!before.equals(after)) {
                changed(i, before, after, nowNanos);
            }
            seen.put(i.name(), after);
        }
    }

    private void added(String name, Seen s, long nowNanos) {
        queue(NetworkEvent.INTERFACE_ADDED, iface(name, s));
        if (s.linkFailures > 0) {
            linkFailed(name, s);
        }
        if (s.running) {
            queue(NetworkEvent.INTERFACE_UP, iface(name, s));
        }
        if (s.dynamic != null) {
            lease(NetworkEvent.LEASE_BOUND, name, s, nowNanos);
        }
        if (s.address != 0) {
            Map<String, Object> p = iface(name, s);
            p.put(NetworkEvent.ADDRESS, address(s));
            p.put(NetworkEvent.ORIGIN, origin(s));
            queue(NetworkEvent.ADDRESS_ADDED, p);
        }
    }

    private void removed(String name, Seen s) {
        if (s.address != 0) {
            Map<String, Object> p = iface(name, s);
            p.put(NetworkEvent.ADDRESS, address(s));
            p.put(NetworkEvent.ORIGIN, origin(s));
            queue(NetworkEvent.ADDRESS_REMOVED, p);
        }
        if (s.dynamic != null) {
            Map<String, Object> p = iface(name, s);
            p.put(NetworkEvent.ADDRESS, address(s));
            p.put(NetworkEvent.ORIGIN, s.dynamic.origin());
            p.put(NetworkEvent.REASON, "removed");
            queue(NetworkEvent.LEASE_LOST, p);
        }
        if (s.running) {
            Map<String, Object> p = iface(name, s);
            p.put(NetworkEvent.REASON, "interface removed");
            queue(NetworkEvent.INTERFACE_DOWN, p);
        }
        queue(NetworkEvent.INTERFACE_REMOVED, iface(name, s));
    }

    private void changed(NetInterface i, Seen before, Seen after, long nowNanos) {
        String name = i.name();
        boolean failed = after.linkFailures != before.linkFailures && after.linkDriver == null;
        // the link first: why the interface went down or came back
        if (failed) {
            linkFailed(name, after);
        } else if (before.linkDriver != null && after.linkDriver == null) {
            Map<String, Object> p = iface(name, after);
            p.put(NetworkEvent.REASON, before.linkDriver.equals(after.driver)
                    ? "driver " + before.linkDriver + " left"
                    : "driver " + after.driver + " is not present");
            queue(NetworkEvent.LINK_LOST, p);
        } else if (before.linkDriver != null && after.linkDriver != null && !before.linkDriver.equals(after.linkDriver)) {
            Map<String, Object> p = iface(name, after);
            p.put(NetworkEvent.PREVIOUS_DRIVER, before.linkDriver);
            queue(NetworkEvent.LINK_SWAPPED, p);
        }
        if (before.running && !after.running) {
            Map<String, Object> p = iface(name, after);
            p.put(NetworkEvent.REASON, !i.up() ? "set down" : failed ? "link failed" : "link lost");
            queue(NetworkEvent.INTERFACE_DOWN, p);
        } else if (!before.running && after.running) {
            queue(NetworkEvent.INTERFACE_UP, iface(name, after));
        }
        if (before.dynamic != after.dynamic) {
            if (after.dynamic == null) {
                Map<String, Object> p = iface(name, after);
                p.put(NetworkEvent.ADDRESS, address(before));
                p.put(NetworkEvent.ORIGIN, before.dynamic.origin());
                p.put(NetworkEvent.REASON, nowNanos - before.dynamic.expiresNanos() >= 0 ? "expired" : "cleared");
                queue(NetworkEvent.LEASE_LOST, p);
            } else {
                lease(before.dynamic == null ? NetworkEvent.LEASE_BOUND : NetworkEvent.LEASE_RENEWED, name, after,
                        nowNanos);
            }
        }
        if (before.address != after.address || before.prefix != after.prefix) {
            Map<String, Object> p = iface(name, after);
            String topic;
            if (after.address == 0) {
                topic = NetworkEvent.ADDRESS_REMOVED;
                p.put(NetworkEvent.ADDRESS, address(before));
                p.put(NetworkEvent.ORIGIN, origin(before));
            } else {
                topic = before.address == 0 ? NetworkEvent.ADDRESS_ADDED : NetworkEvent.ADDRESS_CHANGED;
                p.put(NetworkEvent.ADDRESS, address(after));
                p.put(NetworkEvent.ORIGIN, origin(after));
                if (before.address != 0) {
                    p.put(NetworkEvent.PREVIOUS_ADDRESS, address(before));
                }
            }
            queue(topic, p);
        }
    }

    private void linkFailed(String name, Seen s) {
        Map<String, Object> p = iface(name, s);
        p.put(NetworkEvent.REASON, s.linkError != null ? s.linkError : "the " + s.driver + " link failed");
        queue(NetworkEvent.LINK_FAILED, p);
    }

    private void lease(String topic, String name, Seen s, long nowNanos) {
        Map<String, Object> p = iface(name, s);
        DynamicAddress d = s.dynamic;
        p.put(NetworkEvent.ADDRESS, SockAddr.formatAddress(d.address()) + "/" + d.prefix());
        p.put(NetworkEvent.ORIGIN, d.origin());
        p.put(NetworkEvent.ROUTER, d.router() == 0 ? "" : SockAddr.formatAddress(d.router()));
        p.put(NetworkEvent.LEASE_SECONDS, Math.max(0, (d.expiresNanos() - nowNanos) / 1_000_000_000L));
        queue(topic, p);
    }

    private Map<String, Object> base() {
        Map<String, Object> p = new HashMap<>();
        p.put(NetworkEvent.STACK, stackName);
        return p;
    }

    private Map<String, Object> iface(String name, Seen s) {
        Map<String, Object> p = base();
        p.put(NetworkEvent.INTERFACE, name);
        p.put(NetworkEvent.DRIVER, s.driver);
        return p;
    }

    private static String address(Seen s) {
        return SockAddr.formatAddress(s.address) + "/" + s.prefix;
    }

    private static String origin(Seen s) {
        return s.dynamic != null ? s.dynamic.origin() : "static";
    }

    private void queue(String topic, Map<String, Object> properties) {
        if (listeners.isEmpty()) {
            return; // nobody to tell: nothing to keep
        }
        queue.add(new NetworkEvent(topic, properties));
        if (!dispatchQueued) {
            dispatchQueued = true;
            loop.execute(this::dispatch);
        }
    }

    /** On the loop: empties the queue under the lock, then tells the listeners without it. */
    private void dispatch() {
        List<NetworkEvent> events;
        lock.lock();
        try {
            dispatchQueued = false;
            events = new ArrayList<>(queue);
            queue.clear();
        } finally {
            lock.unlock();
        }
        for (NetworkEvent e : events) {
            for (NetworkListener l : listeners) {
                try {
                    l.changed(e);
                } catch (RuntimeException | LinkageError | AssertionError ex) {
                    LOG.log(System.Logger.Level.WARNING, "network listener failed on " + e.topic(), ex);
                }
            }
        }
    }
}
