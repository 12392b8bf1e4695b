package netkit.stack.socket;

import java.time.Duration;
import netkit.api.Accepted;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.RecvInfo;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.api.TokenSet;
import netkit.api.spi.protocol.ProtocolSocket;

/**
 * The socket API as one owner sees it: every token is checked against the owner, arguments are
 * validated before any protocol sees them, and protocol failures become errno values.
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
        layer.close(owner, socket);
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
        try {
            s.connect(remote);
        } catch (RuntimeException e) {
            throw SocketLayer.wrap(e);
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
        return layer.accept(owner, socket);
    }

    @Override
    public int send(int socket, byte[] buf, int offset, int length, int flags) throws ErrnoException {
        checkRange(buf, offset, length);
        ProtocolSocket s = socketOf(socket);
        try {
            return s.send(buf, offset, length, flags, null);
        } catch (RuntimeException e) {
            throw SocketLayer.wrap(e);
        }
    }

    @Override
    public int recv(int socket, byte[] buf, int offset, int length, int flags) throws ErrnoException {
        checkRange(buf, offset, length);
        ProtocolSocket s = socketOf(socket);
        try {
            return s.recv(buf, offset, length, flags, null);
        } catch (RuntimeException e) {
            throw SocketLayer.wrap(e);
        }
    }

    @Override
    public int sendto(int socket, byte[] buf, int offset, int length, int flags, SockAddr to)
            throws ErrnoException {
        checkRange(buf, offset, length);
        checkAddress(to);
        ProtocolSocket s = socketOf(socket);
        try {
            return s.send(buf, offset, length, flags, to);
        } catch (RuntimeException e) {
            throw SocketLayer.wrap(e);
        }
    }

    @Override
    public int recvfrom(int socket, byte[] buf, int offset, int length, int flags, RecvInfo info)
            throws ErrnoException {
        checkRange(buf, offset, length);
        ProtocolSocket s = socketOf(socket);
        try {
            return s.recv(buf, offset, length, flags, info == null ? new RecvInfo() : info);
        } catch (RuntimeException e) {
            throw SocketLayer.wrap(e);
        }
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
        try {
            layer.setsockopt(owner, socket, level, option, value);
        } catch (RuntimeException e) {
            throw SocketLayer.wrap(e);
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
        try {
            s.shutdown(how);
        } catch (RuntimeException e) {
            throw SocketLayer.wrap(e);
        }
    }

    @Override
    public String toString() {
        return "SocketManager[" + owner.name() + "]";
    }
}
