package netkit.nio;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.IllegalSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.spi.AbstractSelectionKey;
import java.nio.channels.spi.AbstractSelector;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import netkit.api.ErrnoException;
import netkit.api.ReadinessListener;
import netkit.api.SocketManager;
import netkit.api.time.EventLoop;
import netkit.api.time.Timer;

/**
 * A {@link Selector} over netkit readiness. Level-triggered as NIO requires, without looking at every
 * key on each select: a key is looked at (its socket {@linkplain SocketManager#poll polled}) when it
 * was ready at the previous select, or when something may have made it ready since: its socket's
 * {@link ReadinessListener} fired (a rise), it was registered, or its interest set changed. A key
 * found not ready re-arms its socket's listener by that very poll, so its next rise is heard.
 *
 * <p>Waiting: the selecting thread waits on a monitor that the listeners (on the stack's loop),
 * {@link #wakeup} and, for a timeout, a timer on the stack's {@link EventLoop} signal; so a timeout is
 * kept on the stack's clock (simulated time in tests) like every netkit timeout.
 */
final class NetkitSelector extends AbstractSelector {
    private final SocketManager sockets;
    private final EventLoop clock;
    private final Set<SelectionKey> keys = ConcurrentHashMap.newKeySet();
    private final Set<SelectionKey> publicKeys = Collections.unmodifiableSet(keys);
    private final Set<SelectionKey> selected = new HashSet<>();
    private final Set<SelectionKey> publicSelected = new Ungrowable(selected);
    private final ConcurrentLinkedQueue<NetkitSelectionKey> queue = new ConcurrentLinkedQueue<>();
    private final List<NetkitSelectionKey> stillReady = new ArrayList<>(); // selecting thread
    private final Object monitor = new Object();
    private boolean signalled; // monitor: a key was queued or the timer fired since the selector looked
    private boolean wakeup; // monitor
    private long round; // selecting thread

    NetkitSelector(NetkitSelectorProvider provider, SocketManager sockets, EventLoop clock) {
        super(provider);
        this.sockets = sockets;
        this.clock = clock;
    }

    /** A key may have become ready: queue it and wake the selecting thread. Any thread. */
    void changed(NetkitSelectionKey k) {
        if (!k.queued) {
            k.queued = true;
            queue.add(k);
        }
        signal();
    }

    private void signal() {
        synchronized (monitor) {
            signalled = true;
            monitor.notifyAll();
        }
    }

    @Override
    protected SelectionKey register(AbstractSelectableChannel ch, int ops, Object att) {
        if (!(ch instanceof NetkitChannel nc) || ch.provider() != provider()) {
            throw new IllegalSelectorException();
        }
        if (!isOpen()) {
            throw new ClosedSelectorException();
        }
        NetkitSelectionKey k = new NetkitSelectionKey(ch, this);
        k.attach(att);
        keys.add(k);
        try {
            nc.netkitSocket().register(k);
        } catch (ErrnoException e) {
            keys.remove(k); // the channel was closed meanwhile; register checked it was open
            throw new IllegalStateException("channel closed while registering", e);
        }
        k.interestOps(ops);
        return k;
    }

    @Override
    public Set<SelectionKey> keys() {
        ensureOpen();
        return publicKeys;
    }

    @Override
    public Set<SelectionKey> selectedKeys() {
        ensureOpen();
        return publicSelected;
    }

    @Override
    public int selectNow() throws IOException {
        return select(0L, false);
    }

    @Override
    public int select(long timeout) throws IOException {
        if (timeout < 0) {
            throw new IllegalArgumentException("negative timeout");
        }
        return timeout == 0 ? select(-1L, true) : select(timeout * 1_000_000L, true);
    }

    @Override
    public int select() throws IOException {
        return select(-1L, true);
    }

    @Override
    public Selector wakeup() {
        synchronized (monitor) {
            wakeup = true;
            monitor.notifyAll();
        }
        return this;
    }

    private void ensureOpen() {
        if (!isOpen()) {
            throw new ClosedSelectorException();
        }
    }

    /** One select: {@code nanos} -1 waits until something is ready or a wakeup, 0 does not wait. */
    private int select(long nanos, boolean mayWait) throws IOException {
        ensureOpen();
        synchronized (this) {
            Timer timer = null;
            boolean wait = mayWait && nanos != 0;
            long deadline = clock.nanoTime() + Math.max(0, nanos);
            try {
                if (wait) {
                    begin(); // an interrupt of the selecting thread is a wakeup
                }
                while (true) {
                    synchronized (monitor) {
                        signalled = false;
                    }
                    deregisterCancelled();
                    int n = look();
                    if (n > 0 || !wait) {
                        return n;
                    }
                    synchronized (monitor) {
                        if (nanos > 0 && clock.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted()) {
                            return 0;
                        }
                        if (nanos > 0 && timer == null) {
                            timer = clock.schedule(deadline - clock.nanoTime(), this::signal);
                        }
                        while (!signalled && !wakeup) {
                            try {
                                monitor.wait();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return 0;
                            }
                        }
                        if (wakeup && !signalled) {
                            return 0;
                        }
                    }
                }
            } finally {
                if (timer != null) {
                    timer.cancel();
                }
                synchronized (monitor) {
                    wakeup = false; // a wakeup is used up by the select it ended, or by the next one
                }
                deregisterCancelled();
                if (wait) {
                    end();
                }
            }
        }
    }

    /** Polls the keys that may be ready and updates the selected set; returns how many keys it updated. */
    private int look() {
        round++;
        List<NetkitSelectionKey> check = new ArrayList<>(stillReady);
        stillReady.clear();
        for (NetkitSelectionKey k; (k = queue.poll()) != null;) {
            k.queued = false; // before the poll below: a rise after it queues the key again
            check.add(k);
        }
        int n = 0;
        for (NetkitSelectionKey k : check) {
            if (k.lookedAt == round || !k.isValid()) {
                continue;
            }
            k.lookedAt = round;
            int interest = k.interest();
            if (interest == 0) {
                continue;
            }
            int readiness;
            try {
                readiness = sockets.poll(k.netkitChannel().netkitSocket().token);
            } catch (ErrnoException e) {
                continue; // closed under us: its key is cancelled
            }
            int ready = k.netkitChannel().readyOps(readiness) & interest;
            if (ready == 0) {
                continue;
            }
            stillReady.add(k);
            if (selected.contains(k)) {
                int before = k.readyOps();
                if ((before | ready) != before) {
                    k.readyOps(before | ready);
                    n++;
                }
            } else {
                k.readyOps(ready);
                selected.add(k);
                n++;
            }
        }
        return n;
    }

    private void deregisterCancelled() {
        Set<SelectionKey> cancelled = cancelledKeys();
        synchronized (cancelled) {
            for (SelectionKey k : cancelled) {
                forget((NetkitSelectionKey) k);
            }
            cancelled.clear();
        }
    }

    private void forget(NetkitSelectionKey k) {
        keys.remove(k);
        selected.remove(k);
        stillReady.remove(k);
        k.netkitChannel().netkitSocket().deregister(k);
        deregister((AbstractSelectionKey) k);
    }

    @Override
    protected void implCloseSelector() {
        wakeup();
        synchronized (this) {
            for (SelectionKey k : new ArrayList<>(keys)) {
                k.cancel();
            }
            deregisterCancelled();
            selected.clear();
        }
    }

    /** The selected-key set as NIO hands it out: elements may be removed, never added. */
    private static final class Ungrowable extends AbstractSet<SelectionKey> {
        private final Set<SelectionKey> set;

        Ungrowable(Set<SelectionKey> set) {
            this.set = set;
        }

        @Override
        public Iterator<SelectionKey> iterator() {
            return set.iterator();
        }

        @Override
        public int size() {
            return set.size();
        }

        @Override
        public boolean contains(Object o) {
            return set.contains(o);
        }

        @Override
        public boolean remove(Object o) {
            return set.remove(o);
        }

        @Override
        public void clear() {
            set.clear();
        }

        @Override
        public boolean add(SelectionKey k) {
            throw new UnsupportedOperationException("the selected-key set cannot grow");
        }
    }
}
