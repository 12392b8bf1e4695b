package netkit.stack.testing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.RecvInfo;
import netkit.api.SockAddr;
import netkit.api.admin.SocketStatus;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.protocol.IcmpError;
import netkit.api.spi.protocol.IpMeta;
import netkit.api.spi.protocol.ProtocolInstance;
import netkit.api.spi.protocol.ProtocolSocket;
import netkit.api.spi.protocol.Readiness;
import netkit.api.spi.protocol.Route;
import netkit.api.spi.protocol.SocketOptions;
import netkit.api.spi.protocol.StackContext;
import netkit.api.spi.protocol.TransportProtocol;

/**
 * A test protocol on IP protocol 253 (RFC 3692 experimentation): raw datagrams with no transport
 * header, delivered to every open socket. Enough to drive the IP layer and the socket layer
 * (blocking, select, close wake-ups, detach) without the real protocol bundles.
 */
public final class RawProtocol implements TransportProtocol {
    /** Protocol number. */
    public static final int NUMBER = 253;

    /** One received datagram. */
    public record Received(int src, int dst, byte[] payload, boolean broadcast) {
    }

    /** The instance of the last attach, for inspection. */
    public volatile Instance last;
    private final int number;

    /** A raw protocol on {@link #NUMBER}. */
    public RawProtocol() {
        this(NUMBER);
    }

    /** A raw protocol capturing IP protocol {@code number} (e.g. 1 to see ICMP messages). */
    public RawProtocol(int number) {
        this.number = number;
    }

    @Override
    public String name() {
        return "raw253";
    }

    @Override
    public int family() {
        return Net.AF_INET;
    }

    @Override
    public int type() {
        return Net.SOCK_DGRAM;
    }

    @Override
    public int protocol() {
        return number;
    }

    @Override
    public boolean defaultForType() {
        return false;
    }

    @Override
    public ProtocolInstance attach(StackContext stack) {
        last = new Instance(stack, number);
        return last;
    }

    /** One stack's instance. */
    public static final class Instance implements ProtocolInstance {
        public final StackContext ctx;
        public final List<Received> received = new ArrayList<>();
        public final List<IcmpError> errors = new ArrayList<>();
        final List<RawSocket> sockets = new ArrayList<>();
        public volatile boolean detached;
        private final int number;

        Instance(StackContext ctx, int number) {
            this.ctx = ctx;
            this.number = number;
        }

        @Override
        public ProtocolSocket open(SocketOptions options) {
            ctx.lock().lock();
            try {
                RawSocket s = new RawSocket(this, options);
                sockets.add(s);
                return s;
            } finally {
                ctx.lock().unlock();
            }
        }

        @Override
        public void receive(PacketBuffer packet, IpMeta ip) {
            byte[] data = packet.toByteArray();
            received.add(new Received(ip.source(), ip.destination(), data, ip.broadcast()));
            for (RawSocket s : sockets) {
                s.queue.add(new Received(ip.source(), ip.destination(), data, ip.broadcast()));
                s.ready.signalAll();
            }
            ctx.readinessChanged();
            packet.release();
        }

        @Override
        public void icmpError(IcmpError error) {
            errors.add(error);
            for (RawSocket s : sockets) {
                s.error = error.errno().number();
                s.ready.signalAll();
            }
        }

        @Override
        public void detach() {
            detached = true;
            for (RawSocket s : sockets) {
                s.closed = true;
                s.ready.signalAll();
            }
            sockets.clear();
        }

        /** Sends raw bytes to {@code dst} (test helper for the IP path); takes the stack lock. */
        public void sendRaw(int dst, byte[] data, boolean dontFragment) throws ErrnoException {
            ctx.lock().lock();
            try {
                Route r = ctx.route(dst, false);
                PacketBuffer b = ctx.pool().acquire(data.length);
                b.append(data, 0, data.length);
                ctx.output(b, r, number, 64, 0, dontFragment);
            } finally {
                ctx.lock().unlock();
            }
        }
    }

    static final class RawSocket implements ProtocolSocket {
        final Instance inst;
        final SocketOptions options;
        final Condition ready;
        final ArrayDeque<Received> queue = new ArrayDeque<>();
        SockAddr peer;
        volatile boolean closed;
        int error;

        RawSocket(Instance inst, SocketOptions options) {
            this.inst = inst;
            this.options = options;
            this.ready = inst.ctx.lock().newCondition();
        }

        @Override
        public SockAddr bind(SockAddr local) {
            return local;
        }

        @Override
        public void connect(SockAddr remote) {
            peer = remote;
        }

        @Override
        public void listen(int backlog) throws ErrnoException {
            throw new ErrnoException(Errno.EOPNOTSUPP);
        }

        @Override
        public ProtocolSocket accept(SocketOptions child) throws ErrnoException {
            throw new ErrnoException(Errno.EOPNOTSUPP);
        }

        @Override
        public int send(byte[] buf, int offset, int length, int flags, SockAddr to) throws ErrnoException {
            SockAddr dst = to != null ? to : peer;
            if (dst == null) {
                throw new ErrnoException(Errno.EDESTADDRREQ);
            }
            inst.sendRaw(dst.address(), java.util.Arrays.copyOfRange(buf, offset, offset + length), false);
            return length;
        }

        @Override
        public int recv(byte[] buf, int offset, int length, int flags, RecvInfo info) throws ErrnoException {
            inst.ctx.lock().lock();
            try {
                long timeout = options.receiveTimeoutMillis() * 1_000_000L;
                while (queue.isEmpty()) {
                    if (closed) {
                        throw new ErrnoException(inst.detached ? Errno.ENETDOWN : Errno.EBADF);
                    }
                    if (options.nonBlocking() || (flags & Net.MSG_DONTWAIT) != 0) {
                        throw new ErrnoException(Errno.EWOULDBLOCK);
                    }
                    try {
                        if (timeout > 0) {
                            timeout = ready.awaitNanos(timeout);
                            if (timeout <= 0) {
                                throw new ErrnoException(Errno.EWOULDBLOCK, "SO_RCVTIMEO");
                            }
                        } else {
                            ready.await();
                        }
                    } catch (InterruptedException e) {
                        throw new ErrnoException(Errno.EINTR);
                    }
                }
                Received r = queue.poll();
                int n = Math.min(length, r.payload().length);
                System.arraycopy(r.payload(), 0, buf, offset, n);
                if (info != null) {
                    info.set(SockAddr.of(r.src(), 0), n < r.payload().length ? Net.MSG_TRUNC : 0, r.payload().length, -1);
                }
                return n;
            } finally {
                inst.ctx.lock().unlock();
            }
        }

        @Override
        public void shutdown(int how) {
        }

        @Override
        public void setOption(int level, int option, int value) throws ErrnoException {
            throw new ErrnoException(Errno.ENOPROTOOPT);
        }

        @Override
        public int getOption(int level, int option) throws ErrnoException {
            throw new ErrnoException(Errno.ENOPROTOOPT);
        }

        @Override
        public int takeError() {
            int e = error;
            error = 0;
            return e;
        }

        @Override
        public SockAddr localAddress() {
            return SockAddr.ANY;
        }

        @Override
        public SockAddr remoteAddress() {
            return peer;
        }

        @Override
        public int readiness() {
            return (queue.isEmpty() && !closed ? 0 : Readiness.READ) | Readiness.WRITE;
        }

        @Override
        public void close() {
            inst.ctx.lock().lock();
            try {
                closed = true;
                inst.sockets.remove(this);
                ready.signalAll();
            } finally {
                inst.ctx.lock().unlock();
            }
        }

        @Override
        public SocketStatus status(int token, String owner) {
            return new SocketStatus(token, owner, "raw253", SockAddr.ANY, peer == null ? SockAddr.ANY : peer, "-",
                    queue.size(), 0, Map.of());
        }
    }
}
