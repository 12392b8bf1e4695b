package netkit.icmp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.protocol.IpMeta;
import netkit.api.spi.protocol.ProtocolInstance;
import netkit.api.spi.protocol.ProtocolSocket;
import netkit.api.spi.protocol.SocketOptions;
import netkit.api.spi.protocol.StackContext;
import netkit.api.stats.CounterSet;
import netkit.api.stats.CounterSnapshot;
import netkit.api.stats.IcmpCounter;
import netkit.api.wire.IcmpHeader;

/**
 * Raw ICMP sockets on one stack: the open sockets, and the copy of each received ICMP datagram
 * handed to every socket that matches it (Linux {@code raw_v4_input}: bound address, connected peer,
 * {@code ICMP_FILTER}). Its counters add to the stack's ICMP counters.
 */
final class RawIcmpInstance implements ProtocolInstance {
    final StackContext ctx;
    final CounterSet<IcmpCounter> counters = new CounterSet<>(IcmpCounter.class);
    private final RawIcmpProtocol protocol;
    private final List<RawIcmpSocket> open = new ArrayList<>(); // stack lock
    private boolean detached; // stack lock

    RawIcmpInstance(StackContext ctx, RawIcmpProtocol protocol) {
        this.ctx = ctx;
        this.protocol = protocol;
    }

    @Override
    public ProtocolSocket open(SocketOptions options) throws ErrnoException {
        if (!protocol.allowed()) {
            throw new ErrnoException(Errno.EPERM, "raw sockets are turned off (netkit.icmp rawSockets=false)");
        }
        ctx.lock().lock();
        try {
            RawIcmpSocket s = new RawIcmpSocket(this, options);
            if (detached) {
                s.detach();
            } else {
                open.add(s);
            }
            return s;
        } finally {
            ctx.lock().unlock();
        }
    }

    void forget(RawIcmpSocket s) {
        open.remove(s);
    }

    /** Never called for a raw protocol (see {@link #rawInput}). */
    @Override
    public void receive(PacketBuffer packet, IpMeta ip) {
        packet.release();
    }

    @Override
    public boolean rawInput(PacketBuffer packet, IpMeta ip) {
        if (open.isEmpty()) {
            return false;
        }
        byte[] a = packet.array();
        int type = packet.length() >= IcmpHeader.LEN ? a[packet.offset()] & 0xff : -1; // Linux: 8 bytes at least
        int from = ip.headerOffset();
        int len = packet.offset() + packet.length() - from;
        boolean matched = false;
        boolean queued = false;
        for (RawIcmpSocket s : open) {
            if (!s.matches(ip.source(), ip.destination(), type)) {
                continue;
            }
            matched = true; // Linux counts it delivered even when the socket's queue is full
            if (s.offer(ip, a, from, len)) {
                counters.inc(IcmpCounter.RAW_IN_DELIVERS);
                queued = true;
            } else {
                counters.inc(IcmpCounter.RAW_RCVBUF_ERRORS);
            }
        }
        if (queued) {
            ctx.readinessChanged();
        }
        return matched;
    }

    @Override
    public void detach() {
        detached = true;
        for (RawIcmpSocket s : new ArrayList<>(open)) {
            s.detach();
        }
        open.clear();
    }

    @Override
    public Optional<CounterSnapshot<?>> counters() {
        return Optional.of(counters.snapshot());
    }
}
