package netkit.stack;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.link.Link;
import netkit.api.spi.link.LinkReceiver;
import netkit.api.time.EventLoop;
import netkit.stack.iface.NetInterface;
import netkit.stack.util.CallerDrain;

/**
 * Frames received by one link, waiting for the stack's loop. Link threads enqueue (a small frame may
 * be processed by the link's own receive thread, below); one drain
 * task at a time processes a batch under the stack lock, so frames cost no task allocation and the
 * lock is taken once per batch. Bounded: beyond the limit frames are dropped and counted. The frames
 * wait in a {@link FrameRing} sized for the limit when the queue is made, so queueing allocates
 * nothing; a limit raised later takes effect up to that size (links opened afterwards get the new one).
 *
 * <p>Faults are contained per frame: a {@link RuntimeException} (or {@link StackOverflowError}: the
 * recursion has unwound, the lock is intact) thrown while a frame is processed costs that frame only;
 * it is counted, logged once per exception class, and draining goes on. Any other {@link Error}
 * (OutOfMemoryError, LinkageError, ...) leaves the stack's state unknown: the queue closes, its
 * frames are dropped, the stack is {@linkplain Faults#fatal failed} and the error reaches the loop.
 *
 * <p>Caller drain: when a socket call (of this stack or another in the JVM) sends a small frame
 * ({@link #MAX_DEFERRED_FRAME}) here while the queue is idle (no drain scheduled or running), the
 * drain is {@linkplain CallerDrain deferred}
 * to that call's thread, which runs one batch once the call has released its stack lock, taking this
 * stack's lock with {@code tryLock}; when that fails, or frames are left, the loop drains as usual.
 * The same batch code runs either way, with the same fault containment (and the ring's one consumer
 * at a time is whoever holds the stack lock). Link-thread drain: a small frame a link delivers from its
 * own receive thread ({@link #receiveOnLinkThread}) to an idle queue is processed there, one batch,
 * when the lock is free at once, so an ACK costs no wake-up of the loop. Neither runs on a loop whose
 * time is simulated: there every frame is drained by the loop, so runs replay exactly.
 */
final class RxQueue implements LinkReceiver, CallerDrain.Deferred {
    private static final System.Logger LOG = netkit.api.spi.support.NetkitLog.logger(RxQueue.class);
    private static final int BATCH = 64;
    /**
     * The largest frame whose arrival at an idle queue a socket call drains itself: ACKs and small
     * requests, where a hand-off is latency; a full-sized segment goes to the loop, so a bulk
     * transfer keeps its receive processing on the receiver's loop, beside the sender.
     */
    static final int MAX_DEFERRED_FRAME = Integer.getInteger("netkit.callerDrainMaxFrame", 512);

    /** Where the faults of frame processing are reported. */
    interface Faults {
        /** A frame's processing threw {@code t} and was abandoned (counted as RxFaults). */
        void contained(Throwable t);

        /** Processing threw an unrecoverable {@code e}: the stack must stop. Caller holds the stack lock. */
        void fatal(Error e);
    }

    /** Where drained frames go. */
    @FunctionalInterface
    interface FrameHandler {
        /** A frame received by {@code link} of {@code iface}. Caller holds the stack lock. */
        void input(NetInterface iface, Link link, PacketBuffer frame);
    }

    private final NetInterface iface;
    private final FrameHandler handler;
    private final EventLoop loop;
    private final ReentrantLock lock;
    private final IntSupplier capacity;
    private final Faults faults;
    private final boolean callerDrains;
    private final Set<Class<?>> logged = new HashSet<>(); // fault classes already logged; under the lock
    private final FrameRing<PacketBuffer> frames;
    /** A drain is scheduled on the loop, deferred to a caller, or running. */
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;
    private long loopBatches; // batches drained on the loop; under the lock
    private long callerBatches; // batches drained on a socket call's thread; under the lock
    private long linkBatches; // batches drained on the link's receive thread; under the lock
    private volatile Link link;
    private volatile boolean closed;
    private volatile boolean stopped;

    /**
     * A queue for {@code iface} draining into {@code handler} on {@code loop} under {@code lock},
     * holding at most {@code capacity} frames (read on every frame: settings may change), reporting
     * faults to {@code faults}; a socket call's thread may drain it ({@code callerDrains}: see above).
     */
    RxQueue(NetInterface iface, FrameHandler handler, EventLoop loop, ReentrantLock lock, IntSupplier capacity,
            Faults faults, boolean callerDrains) {
        this.iface = iface;
        this.handler = handler;
        this.loop = loop;
        this.lock = lock;
        this.capacity = capacity;
        this.faults = faults;
        this.callerDrains = callerDrains;
        this.frames = new FrameRing<>(Math.max(1, capacity.getAsInt()));
    }

    void link(Link l) {
        this.link = l;
    }

    /** A frame from the link's thread. Takes no lock. */
    @Override
    public void receive(PacketBuffer frame) {
        boolean small = frame.length() <= MAX_DEFERRED_FRAME; // read before the frame is handed over
        if (enqueue(frame) && scheduled.compareAndSet(false, true)
                && !(callerDrains && small && CallerDrain.defer(this))) {
            loop.execute(drain);
        }
    }

    /**
     * A frame from the link's own receive thread: a small one ({@link #MAX_DEFERRED_FRAME}) arriving
     * at an idle queue is processed on that thread at once, one batch, when the stack lock is free
     * (NAPI-like: a bulk sender's ACKs then cost no wake-up of the loop, which was a hand-off in every
     * round trip); a full-sized frame, a busy queue or a taken lock go to the loop as with
     * {@link #receive}. Not on a simulated loop (see the class comment).
     */
    @Override
    public void receiveOnLinkThread(PacketBuffer frame) {
        if (!callerDrains || frame.length() > MAX_DEFERRED_FRAME) {
            receive(frame);
            return;
        }
        if (enqueue(frame) && scheduled.compareAndSet(false, true)) {
            batchHere(true);
        }
    }

    /** Taps and queues {@code frame}, or counts a drop and releases it: whether it was queued. Takes no lock. */
    private boolean enqueue(PacketBuffer frame) {
        int limit = capacity.getAsInt();
        if (closed || stopped || frames.size() >= limit) {
            iface.countRxDrop();
            frame.release();
            return false;
        }
        Link l = link;
        if (l == null || l.kind() != Link.Kind.LOOPBACK) {
            iface.tap(frame, false); // on loopback the frame was already seen going out
        }
        if (!frames.offer(frame, limit)) {
            iface.countRxDrop(); // filled up since the check above
            frame.release();
            return false;
        }
        return true;
    }

    /** The link discarded a frame itself (a bad encapsulation): an rx error of the interface. Takes no lock. */
    @Override
    public void discarded() {
        iface.countRxError();
    }

    /** On the loop: takes the stack lock for one batch. */
    private void drain() {
        lock.lock();
        try {
            loopBatches++;
            batch();
        } catch (Error e) {
            failed(e);
            throw e;
        } finally {
            lock.unlock();
            scheduled.set(false);
        }
        rescheduleIfLeft();
    }

    /**
     * On the thread of the socket call that deferred the drain, no stack lock held: one batch if the
     * stack lock is free at once, else the loop drains. An unrecoverable error fails this stack as on
     * the loop, but is not thrown at the caller, whose call succeeded.
     */
    @Override
    public void runOnCaller() {
        batchHere(false);
    }

    /**
     * The drain this thread scheduled (a socket call's or the link's receive thread), no stack lock
     * held: one batch here if the lock is free at once, else the loop drains. An unrecoverable error
     * fails this stack as on the loop, but is not thrown at this thread, whose work went on.
     */
    private void batchHere(boolean linkThread) {
        if (lock.isHeldByCurrentThread() || !lock.tryLock()) { // held: a socket call made under the lock
            loop.execute(drain); // still scheduled: the loop's drain clears it
            return;
        }
        try {
            if (linkThread) {
                linkBatches++;
            } else {
                callerBatches++;
            }
            batch();
        } catch (Error e) {
            failed(e); // logged there
        } finally {
            lock.unlock();
            scheduled.set(false);
        }
        rescheduleIfLeft();
    }

    /** The caller that deferred the drain is about to block: the loop drains. */
    @Override
    public void toLoop() {
        loop.execute(drain);
    }

    /** After a batch: frames left (or added meanwhile) are drained by the loop. */
    private void rescheduleIfLeft() {
        if (!frames.isEmpty() && scheduled.compareAndSet(false, true)) {
            loop.execute(drain);
        }
    }

    /** Processes up to one batch of frames, containing each frame's faults. Stack lock held. */
    private void batch() {
        for (int i = 0; i < BATCH && !stopped; i++) {
            PacketBuffer f = frames.poll();
            if (f == null) {
                break;
            }
            try {
                handler.input(iface, link, f); // frames already queued stay valid after a swap
            } catch (RuntimeException | StackOverflowError e) {
                // The frame is not released: the layer that threw may have passed it on or released
                // it, and a second release could hand its array out twice. The GC takes it.
                contain(e);
            }
        }
    }

    /**
     * Batches drained by the loop, by socket calls' threads and by the link's receive thread (tests;
     * read with the lock held).
     */
    long[] batches() {
        return new long[] {loopBatches, callerBatches, linkBatches};
    }

    private void contain(Throwable e) {
        faults.contained(e);
        if (logged.add(e.getClass())) {
            LOG.log(System.Logger.Level.WARNING, "frame received on " + iface.name()
                    + " dropped: processing threw (logged once per exception class)", e);
        }
    }

    /** An unrecoverable error: fail the stack, which {@linkplain #stop stops} every queue. Lock held. */
    private void failed(Error e) {
        stop();
        LOG.log(System.Logger.Level.ERROR, "receive path of " + iface.name() + " failed; stack stops", e);
        faults.fatal(e);
    }

    /**
     * The stack failed: takes no more frames and drops (counts, releases) those queued. Caller holds
     * the stack lock.
     */
    void stop() {
        stopped = true;
        for (PacketBuffer f; (f = frames.poll()) != null;) {
            iface.countRxDrop();
            f.release();
        }
    }

    /** Stops taking frames; those already queued are still processed. */
    void close() {
        closed = true;
    }
}
