package netkit.api.spi.support;

import java.util.Map;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.RecvInfo;
import netkit.api.SockAddr;
import netkit.api.admin.SocketStatus;
import netkit.api.spi.protocol.ProtocolSocket;
import netkit.api.spi.protocol.Readiness;
import netkit.api.spi.protocol.Route;
import netkit.api.spi.protocol.SocketOptions;
import netkit.api.spi.protocol.StackContext;

/**
 * What every message socket shares, with or without ports (UDP and ICMP datagram sockets through
 * {@link DatagramSocketBase}, raw sockets directly): the stack lock, the usable check (closed,
 * protocol gone), a default peer set by {@code connect} with the SO_BROADCAST check, the send
 * skeleton (shut down, destination, size, route, source), the receive queue, shutdown, a pending
 * ICMP error reported once (RFC 1122 §4.1.3.3), readiness, close and detach. Subclasses decide
 * the local address ({@link #connected}, {@link #sendingFrom}), build and send the message
 * ({@link #transmit}) and forget the socket in their books ({@link #closed}).
 */
public abstract class DatagramSocketCore implements ProtocolSocket {
    /** The stack. */
    protected final StackContext ctx;
    /** The socket's options. */
    protected final SocketOptions options;
    /** The received messages; guarded by the stack lock. */
    protected final DatagramQueue queue;
    private final String protocolName;
    private final String kind;
    private SockAddr peer;
    private int error;
    private boolean shutRead;
    private boolean shutWrite;
    private boolean closed;
    private boolean detached;

    /**
     * A socket of protocol {@code protocolName} (its name in errors and status); {@code kind} names
     * the socket type in errors ("datagram", "raw").
     */
    protected DatagramSocketCore(StackContext ctx, SocketOptions options, String protocolName, String kind) {
        this.ctx = ctx;
        this.options = options;
        this.protocolName = protocolName;
        this.kind = kind;
        this.queue = new DatagramQueue(ctx.loop(), ctx.lock(), options);
    }

    /** Largest payload one message may carry (EMSGSIZE beyond). */
    protected abstract int maxPayload();

    /** Whether {@code connect}/{@code sendto} need a non-zero port. */
    protected abstract boolean needsPort();

    /**
     * {@code connect} to {@code remote} along {@code route} passed the checks: settle the local
     * address and return the peer to keep. Lock held.
     */
    protected abstract SockAddr connected(SockAddr remote, Route route) throws ErrnoException;

    /**
     * The source address of a send about to go (binding an unbound socket first where the protocol
     * does), 0 for the route's. Lock held.
     */
    protected abstract int sendingFrom() throws ErrnoException;

    /**
     * Builds and sends one message of {@code buf[off..off+len)} to {@code dst} along {@code route}
     * (whose source is already the socket's). Lock held.
     */
    protected abstract void transmit(byte[] buf, int off, int len, SockAddr dst, Route route) throws ErrnoException;

    /** Called once when the socket closes (lock held): forget it in the protocol's books. */
    protected abstract void closed();

    /** Gives up the local address when the socket closes or its protocol leaves (lock held); none here. */
    protected void unbind() {
    }

    /** Refuses a receive the socket cannot make ({@code info} null: {@code recv}, not {@code recvfrom}); lock held. */
    protected void checkReceiver(RecvInfo info) throws ErrnoException {
    }

    /** Takes the stack lock. */
    protected final void lock() {
        ctx.lock().lock();
    }

    /** Releases the stack lock. */
    protected final void unlock() {
        ctx.lock().unlock();
    }

    /** Checks the socket can be used; lock held. */
    protected final void usable() throws ErrnoException {
        if (detached) {
            throw new ErrnoException(Errno.ENETDOWN, protocolName + " protocol is gone; close the socket");
        }
        if (closed) {
            throw new ErrnoException(Errno.EBADF, "socket closed");
        }
    }

    /** The connected peer, null when none. */
    protected final SockAddr peer() {
        return peer;
    }

    /** Whether the socket still takes received messages: open, protocol present, not shut for reading. */
    protected final boolean receiving() {
        return !closed && !detached && !shutRead;
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
            peer = connected(remote, r);
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
        throw new ErrnoException(Errno.EOPNOTSUPP, "listen on a " + kind + " socket");
    }

    @Override
    public ProtocolSocket accept(SocketOptions child) throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP, "accept on a " + kind + " socket");
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
            int src = sendingFrom();
            if (src != 0 && src != r.source()) {
                r = new Route(r.destination(), r.nextHop(), src, r.iface(), r.mtu(), r.checksumNotNeeded(),
                        r.broadcast());
            }
            transmit(buf, offset, length, dst, r);
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
            checkReceiver(info);
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
    public SockAddr remoteAddress() {
        return peer;
    }

    @Override
    public int readiness() {
        if (closed || detached) {
            return Readiness.READ | Readiness.WRITE | Readiness.EXCEPTION;
        }
        int r = Readiness.WRITE; // message sends never block
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
            unbind();
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
        unbind();
        queue.clear();
        queue.wake();
    }

    /** Records an error for the next call (RFC 1122 §4.1.3.3); lock held. */
    public void error(Errno e) {
        error = e.number();
        queue.wake();
    }

    /** Protocol-specific lines of {@link #status} (none here). */
    protected Map<String, String> statusDetails() {
        return Map.of();
    }

    @Override
    public SocketStatus status(int token, String owner) {
        return new SocketStatus(token, owner, protocolName, localAddress(), peer == null ? SockAddr.ANY : peer,
                peer == null ? "" : "ESTABLISHED", queue.bytes(), 0, statusDetails());
    }
}
