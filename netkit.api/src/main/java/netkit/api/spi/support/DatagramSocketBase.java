package netkit.api.spi.support;

import netkit.api.spi.protocol.ProtocolSocket;
import netkit.api.spi.protocol.StackContext;
import netkit.api.spi.protocol.Route;
import netkit.api.spi.protocol.Readiness;
import netkit.api.spi.protocol.SocketOptions;

import java.util.Map;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.RecvInfo;
import netkit.api.SockAddr;
import netkit.api.admin.SocketStatus;

/**
 * The semantics shared by datagram sockets (UDP, ICMP), in the Network Kit's categories: a
 * receiver must be bound; a sender may be unbound (bound to an ephemeral port or identifier on its
 * first send); a bound socket both sends and receives. {@code connect} caches the peer for
 * {@code send}/{@code recv}, filters received datagrams to that peer, and may be called again to
 * change it. Subclasses build and send the datagram ({@link #emit}).
 */
public abstract class DatagramSocketBase implements ProtocolSocket {
    /** The stack. */
    protected final StackContext ctx;
    /** The socket's options. */
    protected final SocketOptions options;
    private final PortTable<DatagramSocketBase> ports;
    private final String protocolName;
    private final DatagramQueue queue;
    private PortTable.Binding<DatagramSocketBase> binding;
    private SockAddr peer;
    private int error;
    private boolean shutRead;
    private boolean shutWrite;
    private boolean closed;
    private boolean detached;

    /** A socket of protocol {@code protocolName} binding in {@code ports}. */
    protected DatagramSocketBase(StackContext ctx, SocketOptions options, PortTable<DatagramSocketBase> ports,
            String protocolName) {
        this.ctx = ctx;
        this.options = options;
        this.ports = ports;
        this.protocolName = protocolName;
        this.queue = new DatagramQueue(ctx.loop(), ctx.lock(), options);
    }

    /** Largest payload one datagram may carry (EMSGSIZE beyond). */
    protected abstract int maxPayload();

    /** Whether {@code connect}/{@code sendto} need a non-zero port. */
    protected abstract boolean needsPort();

    /**
     * Builds and sends one datagram of {@code buf[off..off+len)} from {@code localPort} to
     * {@code dst} along {@code route} (whose source is already the socket's). Lock held.
     */
    protected abstract void emit(byte[] buf, int off, int len, int localPort, SockAddr dst, Route route)
            throws ErrnoException;

    /** Called once when the socket closes (lock held): forget it in the protocol's books. */
    protected abstract void closed();

    private void lock() {
        ctx.lock().lock();
    }

    private void unlock() {
        ctx.lock().unlock();
    }

    /** Checks the socket can be used; lock held. */
    private void usable() throws ErrnoException {
        if (detached) {
            throw new ErrnoException(Errno.ENETDOWN, protocolName + " protocol is gone; close the socket");
        }
        if (closed) {
            throw new ErrnoException(Errno.EBADF, "socket closed");
        }
    }

    @Override
    public SockAddr bind(SockAddr local) throws ErrnoException {
        lock();
        try {
            usable();
            if (binding != null) {
                throw new ErrnoException(Errno.EINVAL, "already bound");
            }
            bindLocked(local.address(), local.port());
            return localAddress();
        } finally {
            unlock();
        }
    }

    private void bindLocked(int address, int port) throws ErrnoException {
        // SO_REUSEPORT shares ports (UDP), not ICMP identifiers: Linux's ping sockets ignore it
        binding = ports.bind(address, port, options.reuseAddress(), options.reusePort() && needsPort(), this, null);
    }

    @Override
    public void connect(SockAddr remote) throws ErrnoException {
        lock();
        try {
            usable();
            if (remote.port() == 0 && needsPort()) {
                throw new ErrnoException(Errno.EINVAL, "port 0");
            }
            Route r = ctx.route(remote.address(), options.dontRoute());
            checkBroadcast(remote.address(), r);
            if (binding == null) {
                bindLocked(0, 0);
            }
            peer = remote;
            error = 0;
        } finally {
            unlock();
        }
    }

    private void checkBroadcast(int dst, Route r) throws ErrnoException {
        if ((r.broadcast() || dst == Net.INADDR_BROADCAST) && !options.broadcast()) {
            throw new ErrnoException(Errno.EACCES, "broadcast needs SO_BROADCAST");
        }
    }

    @Override
    public void listen(int backlog) throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP, "listen on a datagram socket");
    }

    @Override
    public ProtocolSocket accept(SocketOptions child) throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP, "accept on a datagram socket");
    }

    @Override
    public int send(byte[] buf, int offset, int length, int flags, SockAddr to) throws ErrnoException {
        lock();
        try {
            usable();
            if (shutWrite) {
                throw new ErrnoException(Errno.EPIPE, "shut down for writing");
            }
            takePendingError();
            SockAddr dst = to != null ? to : peer;
            if (dst == null) {
                throw new ErrnoException(Errno.EDESTADDRREQ, "not connected; use sendto");
            }
            if (dst.port() == 0 && needsPort()) {
                throw new ErrnoException(Errno.EINVAL, "port 0");
            }
            if (length > maxPayload()) {
                throw new ErrnoException(Errno.EMSGSIZE, length + " bytes exceed " + maxPayload());
            }
            Route r = ctx.route(dst.address(), options.dontRoute() || (flags & Net.MSG_DONTROUTE) != 0);
            checkBroadcast(dst.address(), r);
            if (binding == null) {
                bindLocked(0, 0); // the sender category: implicit ephemeral bind
            }
            int src = binding.address() != 0 ? binding.address() : r.source();
            if (src != r.source()) {
                r = new Route(r.destination(), r.nextHop(), src, r.iface(), r.mtu(), r.checksumNotNeeded(),
                        r.broadcast());
            }
            emit(buf, offset, length, binding.port(), dst, r);
            return length;
        } finally {
            unlock();
        }
    }

    /** A pending ICMP error is reported once, by the next call (RFC 1122 §4.1.3.3). */
    private void takePendingError() throws ErrnoException {
        if (error != 0) {
            Errno e = Errno.of(error);
            error = 0;
            throw new ErrnoException(e == null ? Errno.EIO : e, "reported by ICMP");
        }
    }

    @Override
    public int recv(byte[] buf, int offset, int length, int flags, RecvInfo info) throws ErrnoException {
        lock();
        try {
            usable();
            if (info == null && peer == null) {
                throw new ErrnoException(Errno.ENOTCONN, "recv needs connect(); use recvfrom");
            }
            if (binding == null) {
                throw new ErrnoException(Errno.EINVAL, "a receiver must be bound");
            }
            if (shutRead) {
                return 0;
            }
        } finally {
            unlock();
        }
        return queue.receive(buf, offset, length, flags, info, () -> {
            usable();
            if (queue.isEmpty()) {
                takePendingError();
            }
        });
    }

    @Override
    public void shutdown(int how) throws ErrnoException {
        lock();
        try {
            usable();
            if (peer == null) {
                throw new ErrnoException(Errno.ENOTCONN);
            }
            shutRead |= how != Net.SHUT_WR;
            shutWrite |= how != Net.SHUT_RD;
            queue.wake();
            ctx.readinessChanged();
        } finally {
            unlock();
        }
    }

    @Override
    public void setOption(int level, int option, int value) throws ErrnoException {
        if (level != Net.SOL_SOCKET && level != Net.IPPROTO_IP) {
            throw new ErrnoException(Errno.ENOPROTOOPT, protocolName + " has no level " + level + " options");
        }
        lock();
        try {
            queue.wake(); // a changed SO_NONBLOCK applies to waiting receivers too
        } finally {
            unlock();
        }
    }

    @Override
    public int getOption(int level, int option) throws ErrnoException {
        throw new ErrnoException(Errno.ENOPROTOOPT, protocolName + " has no level " + level + " options");
    }

    @Override
    public int takeError() {
        lock();
        try {
            int e = error;
            error = 0;
            return e;
        } finally {
            unlock();
        }
    }

    @Override
    public SockAddr localAddress() {
        PortTable.Binding<DatagramSocketBase> b = binding;
        return b == null ? SockAddr.ANY : SockAddr.of(b.address(), b.port());
    }

    @Override
    public SockAddr remoteAddress() {
        return peer;
    }

    @Override
    public int readiness() {
        if (closed || detached) {
            return Readiness.READ | Readiness.WRITE | Readiness.EXCEPTION;
        }
        int r = Readiness.WRITE; // datagram sends never block
        if (!queue.isEmpty() || error != 0 || shutRead) {
            r |= Readiness.READ;
        }
        if (error != 0) {
            r |= Readiness.EXCEPTION;
        }
        return r;
    }

    @Override
    public void close() {
        lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            ports.release(binding);
            closed();
            queue.clear();
            queue.wake();
        } finally {
            unlock();
        }
    }

    /** The protocol left: later calls fail with ENETDOWN; lock held. */
    public void detach() {
        detached = true;
        ports.release(binding);
        queue.clear();
        queue.wake();
    }

    /** Whether a datagram from {@code from} may be received (a connected socket hears only its peer). */
    public boolean accepts(SockAddr from) {
        return !closed && !detached && !shutRead && (peer == null || peer.equals(from));
    }

    /** Whether the socket is connected to {@code a}. */
    public boolean connectedTo(SockAddr a) {
        return peer != null && peer.equals(a);
    }

    /** Queues a received datagram (with its IP TTL); false when the receive buffer is full. Lock held. */
    public boolean offer(SockAddr from, int ttl, byte[] a, int off, int len) {
        return queue.offer(from, ttl, a, off, len);
    }

    /** The same with the IP options it arrived with (null: none). Lock held. */
    public boolean offer(SockAddr from, int ttl, byte[] ipOptions, byte[] a, int off, int len) {
        return queue.offer(from, ttl, ipOptions, a, off, len);
    }

    /** Records an error for the next call (RFC 1122 §4.1.3.3); lock held. */
    public void error(Errno e) {
        error = e.number();
        queue.wake();
    }

    @Override
    public SocketStatus status(int token, String owner) {
        return new SocketStatus(token, owner, protocolName, localAddress(), peer == null ? SockAddr.ANY : peer,
                peer == null ? "" : "ESTABLISHED", queue.bytes(), 0, Map.of());
    }
}
