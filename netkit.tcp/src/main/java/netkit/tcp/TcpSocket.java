package netkit.tcp;

import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.function.Predicate;
import netkit.api.Errno;
import java.nio.ByteBuffer;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.RecvInfo;
import netkit.api.SockAddr;
import netkit.api.TcpInfo;
import netkit.api.admin.SocketStatus;
import netkit.api.spi.support.Deadline;
import netkit.api.spi.support.PortTable;
import netkit.api.spi.protocol.ProtocolSocket;
import netkit.api.spi.protocol.Readiness;
import netkit.api.spi.protocol.Route;
import netkit.api.spi.protocol.SocketOptions;
import netkit.api.stats.TcpCounter;

/**
 * A stream socket: the Network Kit's listener, client and accept sockets (seeds 000 and 004).
 * Blocking calls wait on the stack lock's condition and honour SO_NONBLOCK, MSG_DONTWAIT,
 * SO_RCVTIMEO/SO_SNDTIMEO and SO_LINGER, timed on the stack's loop clock ({@link Deadline}); a
 * non-blocking connect answers EINPROGRESS and completes through select write readiness and SO_ERROR.
 */
final class TcpSocket implements ProtocolSocket {
    private final TcpInstance tcp;
    private final SocketOptions options;
    private PortTable.Binding<TcpSocket> binding;
    /** The port a connect without bind chose ({@link EphemeralPorts#forConnect}), 0 for none. */
    private int connectPort;
    private Listener listener;
    private TcpConnection conn;
    private final boolean accepted;
    private boolean closed;
    private boolean detached;
    private boolean errorReported;
    final TcpSocketOptions tcpOptions;

    TcpSocket(TcpInstance tcp, SocketOptions options) {
        this(tcp, options, null);
    }

    private TcpSocket(TcpInstance tcp, SocketOptions options, TcpConnection accepted) {
        this.tcp = tcp;
        this.options = options;
        this.conn = accepted;
        this.accepted = accepted != null;
        this.tcpOptions = new TcpSocketOptions(tcp, options);
        if (accepted != null) {
            accepted.socket = this;
        }
    }

    Listener listener() {
        return listener;
    }

    private void lock() {
        tcp.ctx.lock().lock();
    }

    private void unlock() {
        tcp.ctx.lock().unlock();
    }

    private void usable() throws ErrnoException {
        if (detached) {
            throw new ErrnoException(Errno.ENETDOWN, "tcp protocol is gone; close the socket");
        }
        if (closed) {
            throw new ErrnoException(Errno.EBADF, "socket closed");
        }
    }

    /** The limit of a blocking call from a timeout option in ms (0: none), on the loop's clock. */
    private Deadline deadline(int timeoutMillis) {
        return Deadline.ofTimeoutOption(tcp.ctx.loop(), tcp.ctx.lock(), timeoutMillis);
    }

    /** Waits on {@code cond} within {@code deadline}; EWOULDBLOCK once it has passed. Lock held. */
    private static void await(Condition cond, Deadline deadline) throws ErrnoException {
        if (!deadline.await(cond)) {
            throw new ErrnoException(Errno.EWOULDBLOCK, "timed out");
        }
    }

    private boolean nonBlocking(int flags) {
        return options.nonBlocking() || (flags & Net.MSG_DONTWAIT) != 0;
    }

    @Override
    public SockAddr bind(SockAddr local) throws ErrnoException {
        lock();
        try {
            usable();
            if (accepted) {
                throw new ErrnoException(Errno.EINVAL, "an accept socket is bound by the system");
            }
            if (binding != null || conn != null) {
                throw new ErrnoException(Errno.EINVAL, "already bound");
            }
            if (local.port() != 0 && !options.reuseAddress()) {
                if (tcp.connections.portInTimeWait(local.port())) {
                    throw new ErrnoException(Errno.EADDRINUSE, "port " + local.port() + " has TIME_WAIT connections");
                }
                if (tcp.ephemeralPorts.heldByConnect(local.port())) {
                    throw new ErrnoException(Errno.EADDRINUSE, "port " + local.port() + " has connections");
                }
            }
            Predicate<TcpSocket> lingering = s -> s.conn != null && s.conn.state == TcpState.TIME_WAIT;
            binding = local.port() == 0
                    ? tcp.ephemeralPorts.bind(local.address(), options.reuseAddress(), this, lingering)
                    : tcp.ports.bind(local.address(), local.port(), options.reuseAddress(), options.reusePort(), this,
                            lingering);
            return localAddress();
        } finally {
            unlock();
        }
    }

    @Override
    public void listen(int backlog) throws ErrnoException {
        lock();
        try {
            usable();
            if (conn != null) {
                throw new ErrnoException(Errno.EINVAL, "connected");
            }
            if (binding == null) {
                throw new ErrnoException(Errno.EDESTADDRREQ, "a listener must be bound");
            }
            if (listener == null) {
                listener = new Listener(this, options, tcp.ctx.lock().newCondition(), backlog);
            } else {
                listener.backlog = Math.max(1, backlog);
            }
        } finally {
            unlock();
        }
    }

    @Override
    public ProtocolSocket accept(SocketOptions child) throws ErrnoException {
        lock();
        try (Deadline deadline = deadline(options.receiveTimeoutMillis())) {
            while (true) {
                usable();
                if (listener == null) {
                    throw new ErrnoException(Errno.EINVAL, "not listening");
                }
                TcpConnection c = listener.acceptQueue.poll();
                if (c != null) {
                    listener.acceptedOpen++;
                    child.copyFrom(c.options);
                    c.options = child; // what is set on the accepted socket applies (MUST-24/48/49)
                    TcpSocket s = new TcpSocket(tcp, child, c);
                    s.tcpOptions.inherit(tcpOptions);
                    tcp.track(s); // detached with the others when TCP leaves
                    tcp.ctx.readinessChanged();
                    return s;
                }
                if (options.nonBlocking()) {
                    throw new ErrnoException(Errno.EWOULDBLOCK);
                }
                await(listener.changed, deadline);
            }
        } finally {
            unlock();
        }
    }

    @Override
    public void connect(SockAddr remote) throws ErrnoException {
        lock();
        try {
            usable();
            if (listener != null) {
                throw new ErrnoException(Errno.EOPNOTSUPP, "a listener cannot connect");
            }
            if (conn != null) {
                if (conn.state == TcpState.SYN_SENT || conn.state == TcpState.SYN_RECEIVED) {
                    throw new ErrnoException(Errno.EALREADY);
                }
                if (conn.state != TcpState.CLOSED || conn.synchronizedOnce()) {
                    throw new ErrnoException(Errno.EISCONN);
                }
                // The handshake failed: like Linux, a pending error is reported by this call, and
                // then the socket connects afresh (its binding stays).
                if (!errorReported && conn.error != null) {
                    errorReported = true;
                    throw new ErrnoException(conn.error);
                }
                conn.recvBuf.clear();
                conn = null;
                errorReported = false;
            }
            if (remote.port() == 0 || remote.address() == 0 || tcp.ctx.isBroadcast(remote.address())) {
                throw new ErrnoException(Errno.EINVAL, "cannot connect to " + remote);
            }
            Route route = tcp.ctx.route(remote.address(), options.dontRoute());
            int local = binding != null && binding.address() != 0 ? binding.address() : route.source();
            ConnectionKey key;
            if (binding == null) {
                connectPort = tcp.ephemeralPorts.forConnect(local, remote.address(), remote.port()); // RFC 6056
                key = new ConnectionKey(local, connectPort, remote.address(), remote.port());
            } else {
                key = new ConnectionKey(local, binding.port(), remote.address(), remote.port());
                if (!tcp.connections.usableForConnect(key, tcp.ctx.loop().nanoTime())) {
                    throw new ErrnoException(Errno.EADDRINUSE, "that 4-tuple is in use");
                }
            }
            long successorIss = tcp.connections.claimForConnect(key); // RFC 6191: TIME_WAIT taken over
            TcpConnection c = TcpConnection.activeOpen(tcp, key, options, route, this);
            if (successorIss >= 0) {
                c.startAt(successorIss);
            }
            conn = c;
            tcp.connections.add(c);
            tcp.count(TcpCounter.ACTIVE_OPENS);
            TcpSender.sendSyn(c);
            c.rearm();
            if (options.nonBlocking()) {
                throw new ErrnoException(Errno.EINPROGRESS);
            }
            try (Deadline deadline = deadline(options.sendTimeoutMillis())) {
                while (c.state == TcpState.SYN_SENT || c.state == TcpState.SYN_RECEIVED) {
                    if (!deadline.await(c.changed)) {
                        // SO_SNDTIMEO (Linux): the handshake goes on, as after a non-blocking connect
                        throw new ErrnoException(Errno.EINPROGRESS, "SO_SNDTIMEO passed; the handshake goes on");
                    }
                    usable();
                }
            }
            if (c.state == TcpState.CLOSED) {
                errorReported = true;
                throw new ErrnoException(c.error != null ? c.error : Errno.ECONNREFUSED);
            }
        } finally {
            unlock();
        }
    }

    @Override
    public int send(byte[] buf, int offset, int length, int flags, SockAddr to) throws ErrnoException {
        return send(ByteBuffer.wrap(buf, offset, length), flags, to);
    }

    /** Sends {@code src}'s remaining bytes, copied once, straight into the send buffer (heap or direct). */
    @Override
    public int send(ByteBuffer src, int flags, SockAddr to) throws ErrnoException {
        int length = src.remaining();
        lock();
        try (Deadline deadline = deadline(options.sendTimeoutMillis())) {
            usable();
            if (to != null && conn == null) {
                throw new ErrnoException(Errno.ENOTCONN, "sendto on an unconnected stream socket");
            }
            if (to != null) {
                throw new ErrnoException(Errno.EISCONN, "sendto with an address on a stream socket");
            }
            int sent = 0;
            while (true) {
                usable();
                checkWritable();
                TcpConnection c = conn;
                if (c.state == TcpState.SYN_SENT || c.state == TcpState.SYN_RECEIVED) {
                    if (nonBlocking(flags)) {
                        throw new ErrnoException(Errno.EWOULDBLOCK);
                    }
                    await(c.changed, deadline);
                    continue;
                }
                int n = c.sendBuf.append(src, length - sent);
                sent += n;
                if (n > 0 && (flags & Net.MSG_OOB) != 0) {
                    c.sndUp = c.sndUna + c.sendBuf.size(); // urgent up to here, inline (RFC 6093)
                }
                if (n > 0) {
                    TcpSender.output(c);
                }
                if (sent == length) {
                    return sent;
                }
                if (nonBlocking(flags)) {
                    if (sent > 0) {
                        return sent;
                    }
                    throw new ErrnoException(Errno.EWOULDBLOCK);
                }
                try {
                    await(c.changed, deadline);
                } catch (ErrnoException e) {
                    // SO_SNDTIMEO or an interrupt after part was queued: the count, as POSIX send after
                    // a signal (the interrupt flag stays set, so the next blocking call fails with EINTR)
                    if (sent > 0 && (e.errno() == Errno.EWOULDBLOCK || e.errno() == Errno.EINTR)) {
                        return sent;
                    }
                    throw e;
                }
            }
        } finally {
            unlock();
        }
    }

    private void checkWritable() throws ErrnoException {
        if (conn == null) {
            throw new ErrnoException(Errno.ENOTCONN);
        }
        if (conn.state == TcpState.CLOSED) {
            throw reportError(Errno.EPIPE);
        }
        if (conn.finQueued) {
            throw new ErrnoException(Errno.EPIPE, "shut down for writing");
        }
    }

    /** The connection's failure is reported once (ECONNRESET, ETIMEDOUT...), then {@code after}. */
    private ErrnoException reportError(Errno after) {
        if (!errorReported && conn != null && conn.error != null) {
            errorReported = true;
            return new ErrnoException(conn.error);
        }
        return new ErrnoException(after);
    }

    @Override
    public int recv(byte[] buf, int offset, int length, int flags, RecvInfo info) throws ErrnoException {
        return recv(ByteBuffer.wrap(buf, offset, length), flags, info);
    }

    /** Receives into {@code dst}, copied once, straight out of the receive buffer (heap or direct). */
    @Override
    public int recv(ByteBuffer dst, int flags, RecvInfo info) throws ErrnoException {
        int length = dst.remaining();
        lock();
        try (Deadline deadline = deadline(options.receiveTimeoutMillis())) {
            usable();
            boolean peek = (flags & Net.MSG_PEEK) != 0;
            if (conn == null) {
                if ((flags & Net.MSG_OOB) != 0 && listener == null) {
                    throw new ErrnoException(Errno.EINVAL, "no urgent data"); // Linux tcp_recv_urg
                }
                throw new ErrnoException(Errno.ENOTCONN);
            }
            if ((flags & Net.MSG_OOB) != 0) {
                return Urgent.receive(conn, dst, length, peek);
            }
            int got = 0;
            boolean all = (flags & Net.MSG_WAITALL) != 0 && !peek;
            // SO_RCVLOWAT (Linux sock_rcvlowat): wait for that many bytes, or the whole length with
            // MSG_WAITALL; a peek returns what there is
            int target = peek ? 1 : all ? length : Math.min(options.receiveLowWater(), length);
            while (true) {
                usable(); // a close from another thread wakes us with EBADF
                TcpConnection c = conn;
                if (c.recvBuf.readable() > 0 && !c.readShut) {
                    int skip = peek ? Urgent.hidden(c) : 0; // a peek steps over an out-of-band urgent byte
                    int max = Urgent.limit(c, length - got, got, peek); // stops at the urgent mark
                    if (max == 0 && length > got) {
                        fill(info, c, got);
                        return got;
                    }
                    int n = peek ? c.recvBuf.peek(dst, skip, max) : c.recvBuf.read(dst, max, false);
                    got += n;
                    if (!peek) {
                        Urgent.passed(c);
                        TcpSender.output(c); // the window may have opened enough to announce
                    }
                    if (got >= target || length == 0 || peek && n > 0) {
                        fill(info, c, got);
                        return got;
                    }
                    if (n > 0 || !peek && c.recvBuf.readable() > 0) {
                        continue;
                    }
                    // nothing to move now (only an out-of-band urgent byte there): wait as when empty
                }
                if (c.finReceived || c.readShut || length == 0) {
                    fill(info, c, got);
                    return got; // end of stream: 0
                }
                if (c.state == TcpState.CLOSED) {
                    if (got > 0) {
                        return got;
                    }
                    if (!errorReported && c.error != null) {
                        errorReported = true;
                        throw new ErrnoException(c.error);
                    }
                    return 0;
                }
                if (nonBlocking(flags)) {
                    if (got > 0) {
                        return got;
                    }
                    throw new ErrnoException(Errno.EWOULDBLOCK);
                }
                try {
                    await(c.changed, deadline);
                } catch (ErrnoException e) {
                    if (got > 0) {
                        return got;
                    }
                    throw e;
                }
            }
        } finally {
            unlock();
        }
    }

    private static void fill(RecvInfo info, TcpConnection c, int n) {
        if (info != null) {
            info.set(c.remote(), 0, n, -1);
        }
    }

    @Override
    public void shutdown(int how) throws ErrnoException {
        lock();
        try {
            usable();
            if (conn == null || !conn.state.synchronizedState() && conn.state != TcpState.SYN_RECEIVED) {
                throw new ErrnoException(Errno.ENOTCONN);
            }
            if (how != Net.SHUT_WR) {
                conn.readShut = true;
                conn.recvBuf.discard(conn.recvBuf.readable());
                conn.wake();
            }
            if (how != Net.SHUT_RD) {
                shutdownWrite(conn);
            }
        } finally {
            unlock();
        }
    }

    /** Queues our FIN after the data (ESTABLISHED → FIN_WAIT_1, CLOSE_WAIT → LAST_ACK). */
    private static void shutdownWrite(TcpConnection c) {
        if (c.finQueued) {
            return;
        }
        c.queueFin();
        if (c.state == TcpState.ESTABLISHED || c.state == TcpState.SYN_RECEIVED) {
            c.state(TcpState.FIN_WAIT_1);
        } else if (c.state == TcpState.CLOSE_WAIT) {
            c.state(TcpState.LAST_ACK);
        }
        TcpSender.output(c);
    }

    @Override
    public void setOption(int level, int option, int value) throws ErrnoException {
        lock();
        try {
            tcpOptions.set(conn, level, option, value);
        } finally {
            unlock();
        }
    }

    @Override
    public int getOption(int level, int option) throws ErrnoException {
        lock();
        try {
            return tcpOptions.get(conn, listener != null, level, option);
        } finally {
            unlock();
        }
    }

    @Override
    public int takeError() {
        lock();
        try {
            if (conn != null && conn.error != null && !errorReported) {
                errorReported = true;
                return conn.error.number();
            }
            return 0;
        } finally {
            unlock();
        }
    }

    @Override
    public SockAddr localAddress() {
        if (conn != null) {
            return conn.local();
        }
        PortTable.Binding<TcpSocket> b = binding;
        return b == null ? SockAddr.ANY : SockAddr.of(b.address(), b.port());
    }

    @Override
    public SockAddr remoteAddress() {
        TcpConnection c = conn;
        // Linux: no peer before the handshake, nor once the connection ended (refused, reset, closed)
        return c == null || c.state == TcpState.SYN_SENT || c.state == TcpState.CLOSED ? null : c.remote();
    }

    @Override
    public int readiness() {
        if (closed || detached) {
            return Readiness.READ | Readiness.WRITE | Readiness.EXCEPTION;
        }
        if (listener != null) {
            return listener.acceptQueue.isEmpty() ? 0 : Readiness.READ;
        }
        TcpConnection c = conn;
        if (c == null) {
            return Readiness.WRITE;
        }
        int r = 0;
        boolean failed = c.state == TcpState.CLOSED;
        if (readable(c) || c.finReceived || c.readShut || failed) {
            r |= Readiness.READ;
        }
        if (failed || c.state.sendsData() && c.sendBuf.free() > 0 || c.finQueued) {
            r |= Readiness.WRITE;
        }
        if (failed && c.error != null && !errorReported || Urgent.pending(c)) {
            r |= Readiness.EXCEPTION;
        }
        return r;
    }

    /**
     * Read readiness by the data (Linux {@code tcp_epollin_ready}): at least SO_RCVLOWAT bytes (an
     * urgent byte next in the stream and out of band not counted), or any when the window offered
     * has shrunk to less than a segment, so the mark cannot be reached without a read.
     */
    private boolean readable(TcpConnection c) {
        int avail = c.recvBuf.readable();
        if (avail <= 0) {
            return false;
        }
        return avail >= options.receiveLowWater() + Urgent.hidden(c) || c.rcvAdvEdge - c.rcvNxt <= c.mss;
    }

    @Override
    public void close() {
        lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            tcp.forget(this);
            if (conn != null) {
                conn.wake();
            }
            if (listener != null) {
                for (TcpConnection c : listener.acceptQueue.toArray(new TcpConnection[0])) {
                    TcpSender.sendReset(c);
                    tcp.connections.destroy(c);
                }
                listener.changed.signalAll();
                listener = null;
            }
            TcpConnection c = conn;
            if (c != null && c.parent != null) {
                c.parent.acceptedOpen--; // closing an accept socket frees a slot (seed 000)
            }
            if (c == null || c.state == TcpState.CLOSED) {
                if (c != null) {
                    c.recvBuf.clear(); // ended (reset) while open: what it kept unread goes back now
                }
                releaseBinding();
                return;
            }
            closeConnection(c);
        } finally {
            unlock();
        }
    }

    private void closeConnection(TcpConnection c) {
        int linger = options.lingerSeconds();
        if (c.state == TcpState.SYN_SENT || linger == 0 || c.recvBuf.readable() > 0) {
            // SO_LINGER 0 aborts; unread data makes close an abort too (RFC 2525 §2.17).
            TcpSender.sendReset(c);
            tcp.connections.destroy(c);
            c.recvBuf.clear(); // destroy keeps it for an open socket's reader: this one is closed
            releaseBinding();
            return;
        }
        shutdownWrite(c);
        if (!tcp.orphans.adopt(c)) {
            return; // reset at once: too many orphans, or queued data over the memory limit
        }
        if (c.state == TcpState.TIME_WAIT) {
            tcp.connections.retire(c); // nobody reads it any more: a compact record will do
            return;
        }
        if (c.state == TcpState.FIN_WAIT_2) {
            c.finWait2At = c.now() + tcp.settings().finWait2Millis() * 1_000_000L;
            c.rearm();
        }
        if (linger > 0) {
            lingerUntilAcknowledged(c, linger);
        }
    }

    /**
     * SO_LINGER with a timeout: blocks until the peer has acknowledged the data and our FIN, the
     * connection ended, or {@code seconds} of loop time passed; then the close finishes in the
     * background. An interrupt ends the wait early (the thread's interrupt flag stays set).
     */
    private void lingerUntilAcknowledged(TcpConnection c, int seconds) {
        try (Deadline deadline = Deadline.after(tcp.ctx.loop(), tcp.ctx.lock(), seconds * 1_000_000_000L)) {
            while (!c.finAcked() && c.state != TcpState.CLOSED && deadline.await(c.changed)) {
                // woken by an ACK, a state change or the deadline: look again
            }
        } catch (ErrnoException interrupted) {
            // EINTR: close cannot fail; stop lingering
        }
    }

    /** The connection ended (CLOSED); an orphan's port binding goes with it. */
    void connectionClosed() {
        if (closed) {
            releaseBinding();
        }
    }

    private void releaseBinding() {
        tcp.ports.release(binding);
        binding = null;
        if (connectPort != 0) {
            tcp.ephemeralPorts.release(connectPort);
            connectPort = 0;
        }
    }

    /**
     * The protocol left: the socket becomes a placeholder whose close never reaches TCP, so what its
     * connection kept unread goes back now, even when the connection had already ended (a reset
     * while the socket was open leaves it out of the table TCP walks when it leaves; soak seed 3195).
     */
    void detach() {
        detached = true;
        TcpConnection c = conn;
        if (c != null) {
            c.recvBuf.clear();
        }
        if (listener != null) {
            listener.changed.signalAll();
        }
        releaseBinding();
    }

    /** The connection's statistics; ENOTCONN without a connection (a listener, never connected). */
    @Override
    public TcpInfo tcpInfo() throws ErrnoException {
        lock();
        try {
            usable();
            if (conn == null) {
                throw new ErrnoException(Errno.ENOTCONN, listener != null ? "a listener has no connection"
                        : "not connected");
            }
            return conn.tcpInfo();
        } finally {
            unlock();
        }
    }

    @Override
    public SocketStatus status(int token, String owner) {
        TcpConnection c = conn;
        if (listener != null) {
            return new SocketStatus(token, owner, "tcp", localAddress(), SockAddr.ANY, "LISTEN",
                    listener.acceptQueue.size(), listener.backlog, Map.of());
        }
        if (c == null) {
            return new SocketStatus(token, owner, "tcp", localAddress(), SockAddr.ANY, "CLOSED", 0, 0, Map.of());
        }
        return new SocketStatus(token, owner, "tcp", c.local(), c.remote(), c.state.name(), c.recvBuf.readable(),
                c.sendBuf.size(), Map.of(), c.tcpInfo());
    }
}
