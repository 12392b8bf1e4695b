package netkit.stack.osgi;

import java.nio.ByteBuffer;
import java.time.Duration;
import netkit.api.Accepted;
import netkit.api.ErrnoException;
import netkit.api.ReadinessListener;
import netkit.api.RecvInfo;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.api.TcpInfo;
import netkit.api.TokenSet;
import netkit.stack.Stack;
import netkit.stack.socket.Owner;
import org.osgi.framework.Bundle;

/**
 * One bundle's instance of the {@link SocketManager} service ({@link SocketManagerService} hands
 * them out): only this bundle can use its tokens, and {@link #close()} (the bundle released the
 * service: it stopped, or the stack went away) closes all its sockets, which frees the bundle's
 * socket and buffer quotas. Quotas are looked up by the bundle's symbolic name (factory PID
 * {@code netkit.quota}).
 */
final class BundleSockets implements SocketManager {
    private final Stack stack;
    private final Owner owner;
    private final SocketManager sockets;

    BundleSockets(Stack stack, Bundle user) {
        this.stack = stack;
        this.owner = new Owner(user.getSymbolicName() + " [" + user.getBundleId() + "]", user.getBundleId(),
                user.getSymbolicName());
        this.sockets = stack.sockets(owner);
    }

    /** Closes every socket of the bundle. */
    void close() {
        stack.closeAll(owner);
    }

    @Override
    public int socket(int family, int type, int protocol) throws ErrnoException {
        return sockets.socket(family, type, protocol);
    }

    @Override
    public void closesocket(int socket) throws ErrnoException {
        sockets.closesocket(socket);
    }

    @Override
    public SockAddr bind(int socket, SockAddr local) throws ErrnoException {
        return sockets.bind(socket, local);
    }

    @Override
    public void connect(int socket, SockAddr remote) throws ErrnoException {
        sockets.connect(socket, remote);
    }

    @Override
    public void listen(int socket, int backlog) throws ErrnoException {
        sockets.listen(socket, backlog);
    }

    @Override
    public Accepted accept(int socket) throws ErrnoException {
        return sockets.accept(socket);
    }

    @Override
    public int send(int socket, byte[] buf, int offset, int length, int flags) throws ErrnoException {
        return sockets.send(socket, buf, offset, length, flags);
    }

    @Override
    public int recv(int socket, byte[] buf, int offset, int length, int flags) throws ErrnoException {
        return sockets.recv(socket, buf, offset, length, flags);
    }

    @Override
    public int sendto(int socket, byte[] buf, int offset, int length, int flags, SockAddr to) throws ErrnoException {
        return sockets.sendto(socket, buf, offset, length, flags, to);
    }

    @Override
    public int recvfrom(int socket, byte[] buf, int offset, int length, int flags, RecvInfo info)
            throws ErrnoException {
        return sockets.recvfrom(socket, buf, offset, length, flags, info);
    }

    @Override
    public int send(int socket, ByteBuffer src, int flags) throws ErrnoException {
        return sockets.send(socket, src, flags);
    }

    @Override
    public int recv(int socket, ByteBuffer dst, int flags) throws ErrnoException {
        return sockets.recv(socket, dst, flags);
    }

    @Override
    public int sendto(int socket, ByteBuffer src, int flags, SockAddr to) throws ErrnoException {
        return sockets.sendto(socket, src, flags, to);
    }

    @Override
    public int recvfrom(int socket, ByteBuffer dst, int flags, RecvInfo info) throws ErrnoException {
        return sockets.recvfrom(socket, dst, flags, info);
    }

    @Override
    public int poll(int socket) throws ErrnoException {
        return sockets.poll(socket);
    }

    @Override
    public void readinessListener(int socket, ReadinessListener listener) throws ErrnoException {
        sockets.readinessListener(socket, listener);
    }

    @Override
    public int select(TokenSet read, TokenSet write, TokenSet exception, Duration timeout) throws ErrnoException {
        return sockets.select(read, write, exception, timeout);
    }

    @Override
    public void setsockopt(int socket, int level, int option, int value) throws ErrnoException {
        sockets.setsockopt(socket, level, option, value);
    }

    @Override
    public int getsockopt(int socket, int level, int option) throws ErrnoException {
        return sockets.getsockopt(socket, level, option);
    }

    @Override
    public TcpInfo tcpInfo(int socket) throws ErrnoException {
        return sockets.tcpInfo(socket);
    }

    @Override
    public SockAddr getsockname(int socket) throws ErrnoException {
        return sockets.getsockname(socket);
    }

    @Override
    public SockAddr getpeername(int socket) throws ErrnoException {
        return sockets.getpeername(socket);
    }

    @Override
    public void shutdown(int socket, int how) throws ErrnoException {
        sockets.shutdown(socket, how);
    }
}
