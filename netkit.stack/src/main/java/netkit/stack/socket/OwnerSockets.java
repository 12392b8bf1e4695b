package netkit.stack.socket;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import netkit.api.Accepted;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.ReadinessListener;
import netkit.api.RecvInfo;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.api.TcpInfo;
import netkit.api.TokenSet;
import netkit.api.spi.protocol.ProtocolSocket;
import netkit.api.spi.protocol.Readiness;
import netkit.stack.util.CallerDrain;

/**
 * The socket API as one owner sees it: every token is checked against the owner, arguments are
 * validated before any protocol sees them, and protocol failures become errno values.
 *
 * <p>The calls that send (data, connect, close, shutdown, options, accept) run in a
 * {@link CallerDrain} scope: a frame they hand to an idle receive queue of a stack in this JVM is
 * processed on this thread once the call has released its stack lock.
 */
final class OwnerSockets implements SocketManager {
    private final SocketLayer layer;
    private final Owner owner;

    OwnerSockets(SocketLayer layer, Owner owner) {
        this.layer = layer;
        this.owner = owner;
    }

    private ProtocolSocket socketOf(int token) throws ErrnoException {
        return layer.table().get(token, owner).socket();
    }

    private static void checkRange(byte[] buf, int offset, int length) throws ErrnoException {
        if (buf == null) {
            throw new ErrnoException(Errno.EFAULT, "null buffer");
        }
        if (offset < 0 || length < 0 || offset > buf.length - length) {
            throw new ErrnoException(Errno.EINVAL, "offset " + offset + " length " + length + " outside buffer of "
                    + buf.length);
        }
    }

    private static void checkAddress(SockAddr a) throws ErrnoException {
        if (a == null) {
            throw new ErrnoException(Errno.EFAULT, "null address");
        }
    }

    @Override
    public int socket(int family, int type, int protocol) throws ErrnoException {
        return layer.socket(owner, family, type, protocol);
    }

    @Override
    public void closesocket(int socket) throws ErrnoException {
        CallerDrain d = CallerDrain.enter();
        try {
            layer.close(owner, socket);
        } finally {
            d.exit();
        }
    }

    @Override
    public SockAddr bind(int socket, SockAddr local) throws ErrnoException {
        checkAddress(local);
        ProtocolSocket s = socketOf(socket);
        try {
            return s.bind(local);
        } catch (RuntimeException e) {
            throw SocketLayer.wrap(e);
        }
    }

    @Override
    public void connect(int socket, SockAddr remote) throws ErrnoException {
        checkAddress(remote);
        ProtocolSocket s = socketOf(socket);
        CallerDrain d = CallerDrain.enterAwaitingAnswer(); // the handshake runs on this thread
        try {
            s.connect(remote);
        } catch (RuntimeException e) {
            throw SocketLayer.wrap(e);
        } finally {
            d.exit();
        }
    }

    @Override
    public void listen(int socket, int backlog) throws ErrnoException {
        ProtocolSocket s = socketOf(socket);
        try {
            s.listen(Math.min(Math.max(0, backlog), layer.somaxconn()));
        } catch (RuntimeException e) {
            throw SocketLayer.wrap(e);
        }
    }

    @Override
    public Accepted accept(int socket) throws ErrnoException {
        CallerDrain d = CallerDrain.enter();
        try {
            return layer.accept(owner, socket);
        } finally {
            d.exit();
        }
    }

    /** One data call on a protocol socket, with the flags it is to get. */
    @FunctionalInterface
    private interface Io {
        int run(ProtocolSocket s, int flags) throws ErrnoException;
    }

    /**
     * Runs a send or receive. With {@link Net#MSG_TRY} the socket's readiness is checked first, under
     * the stack lock, so an empty poll returns {@link Net#WOULDBLOCK} without an exception; otherwise
     * the protocol runs it non-blocking and its EWOULDBLOCK becomes the same result. A socket with a
     * readiness listener runs the call in one hold of the stack lock with {@link SocketLayer#observe}
     * (a blocking call still releases the lock while it waits), so no rise after the call is missed.
     *
     * @param bit       the readiness the call needs (READ or WRITE)
     * @param needsPeer whether the call needs a connected socket (send/recv) or a bound one
     */
    private int io(int token, int flags, int bit, boolean needsPeer, Io op) throws ErrnoException {
        CallerDrain d = CallerDrain.enter();
        try {
            return ioInScope(token, flags, bit, needsPeer, op);
        } finally {
            d.exit();
        }
    }

    private int ioInScope(int token, int flags, int bit, boolean needsPeer, Io op) throws ErrnoException {
        SocketTable.Entry e = layer.table().get(token, owner);
        boolean tryOnly = (flags & Net.MSG_TRY) != 0;
        if (!tryOnly && e.listener == null) {
            return run(op, e.socket(), flags);
        }
        ReentrantLock lock = layer.lock();
        lock.lock();
        try {
            if (tryOnly && (flags & Net.MSG_OOB) == 0 && SocketLayer.nothingNow(e, bit, needsPeer)) {
                SocketLayer.observe(e);
                return Net.WOULDBLOCK;
            }
            try {
                return run(op, e.socket(), tryOnly ? flags & ~Net.MSG_TRY | Net.MSG_DONTWAIT : flags);
            } catch (ErrnoException ex) {
                if (tryOnly && ex.errno() == Errno.EWOULDBLOCK) {
                    return Net.WOULDBLOCK; // another thread took what readiness promised
                }
                throw ex;
            } finally {
                SocketLayer.observe(e);
            }
        } finally {
            lock.unlock();
        }
    }

    private static int run(Io op, ProtocolSocket s, int flags) throws ErrnoException {
        try {
            return op.run(s, flags);
        } catch (RuntimeException e) {
            throw SocketLayer.wrap(e);
        }
    }

    private static void checkBuffer(ByteBuffer b, boolean written) throws ErrnoException {
        if (b == null) {
            throw new ErrnoException(Errno.EFAULT, "null buffer");
        }
        if (written && b.isReadOnly()) {
            throw new ErrnoException(Errno.EINVAL, "read-only buffer");
        }
    }

    @Override
    public int send(int socket, byte[] buf, int offset, int length, int flags) throws ErrnoException {
        checkRange(buf, offset, length);
        return io(socket, flags, Readiness.WRITE, true, (s, f) -> s.send(buf, offset, length, f, null));
    }

    @Override
    public int recv(int socket, byte[] buf, int offset, int length, int flags) throws ErrnoException {
        checkRange(buf, offset, length);
        return io(socket, flags, Readiness.READ, true, (s, f) -> s.recv(buf, offset, length, f, null));
    }

    @Override
    public int send(int socket, ByteBuffer src, int flags) throws ErrnoException {
        checkBuffer(src, false);
        return io(socket, flags, Readiness.WRITE, true, (s, f) -> s.send(src, f, null));
    }

    @Override
    public int recv(int socket, ByteBuffer dst, int flags) throws ErrnoException {
        checkBuffer(dst, true);
        return io(socket, flags, Readiness.READ, true, (s, f) -> s.recv(dst, f, null));
    }

    @Override
    public int sendto(int socket, byte[] buf, int offset, int length, int flags, SockAddr to)
            throws ErrnoException {
        checkRange(buf, offset, length);
        checkAddress(to);
        return io(socket, flags, Readiness.WRITE, false, (s, f) -> s.send(buf, offset, length, f, to));
    }

    @Override
    public int recvfrom(int socket, byte[] buf, int offset, int length, int flags, RecvInfo info)
            throws ErrnoException {
        checkRange(buf, offset, length);
        RecvInfo i = info == null ? new RecvInfo() : info;
        return io(socket, flags, Readiness.READ, false, (s, f) -> s.recv(buf, offset, length, f, i));
    }

    @Override
    public int sendto(int socket, ByteBuffer src, int flags, SockAddr to) throws ErrnoException {
        checkBuffer(src, false);
        checkAddress(to);
        return io(socket, flags, Readiness.WRITE, false, (s, f) -> s.send(src, f, to));
    }

    @Override
    public int recvfrom(int socket, ByteBuffer dst, int flags, RecvInfo info) throws ErrnoException {
        checkBuffer(dst, true);
        RecvInfo i = info == null ? new RecvInfo() : info;
        return io(socket, flags, Readiness.READ, false, (s, f) -> s.recv(dst, f, i));
    }

    @Override
    public int poll(int socket) throws ErrnoException {
        return layer.poll(owner, socket);
    }

    @Override
    public void readinessListener(int socket, ReadinessListener listener) throws ErrnoException {
        layer.readinessListener(owner, socket, listener);
    }

    @Override
    public int select(TokenSet read, TokenSet write, TokenSet exception, Duration timeout) throws ErrnoException {
        if (timeout != null && timeout.isNegative()) {
            throw new ErrnoException(Errno.EINVAL, "negative timeout");
        }
        return layer.select(owner, read, write, exception, timeout);
    }

    @Override
    public void setsockopt(int socket, int level, int option, int value) throws ErrnoException {
        CallerDrain d = CallerDrain.enter();
        try {
            layer.setsockopt(owner, socket, level, option, value);
        } catch (RuntimeException e) {
            throw SocketLayer.wrap(e);
        } finally {
            d.exit();
        }
    }

    @Override
    public int getsockopt(int socket, int level, int option) throws ErrnoException {
        try {
            return layer.getsockopt(owner, socket, level, option);
        } catch (RuntimeException e) {
            throw SocketLayer.wrap(e);
        }
    }

    @Override
    public TcpInfo tcpInfo(int socket) throws ErrnoException {
        try {
            return socketOf(socket).tcpInfo();
        } catch (RuntimeException e) {
            throw SocketLayer.wrap(e);
        }
    }

    @Override
    public SockAddr getsockname(int socket) throws ErrnoException {
        return socketOf(socket).localAddress();
    }

    @Override
    public SockAddr getpeername(int socket) throws ErrnoException {
        SockAddr peer = socketOf(socket).remoteAddress();
        if (peer == null) {
            throw new ErrnoException(Errno.ENOTCONN);
        }
        return peer;
    }

    @Override
    public void shutdown(int socket, int how) throws ErrnoException {
        if (how != Net.SHUT_RD && how != Net.SHUT_WR && how != Net.SHUT_RDWR) {
            throw new ErrnoException(Errno.EINVAL, "how " + how);
        }
        ProtocolSocket s = socketOf(socket);
        CallerDrain d = CallerDrain.enter();
        try {
            s.shutdown(how);
        } catch (RuntimeException e) {
            throw SocketLayer.wrap(e);
        } finally {
            d.exit();
        }
    }

    @Override
    public String toString() {
        return "SocketManager[" + owner.name() + "]";
    }
}
