package netkit.nio;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import netkit.api.Accepted;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.ReadinessListener;
import netkit.api.SockAddr;

/** A {@link ServerSocketChannel} on a netkit TCP listener. */
final class NetkitServerSocketChannel extends ServerSocketChannel implements NetkitChannel {
    private final NetkitSelectorProvider provider;
    private final ChannelSocket socket;
    private volatile boolean bound;
    private volatile NetkitServerSocketAdaptor adaptor;

    NetkitServerSocketChannel(NetkitSelectorProvider provider) throws IOException {
        super(provider);
        this.provider = provider;
        this.socket = ChannelSocket.open(provider.sockets(), Net.SOCK_STREAM, ChannelSocket.LISTENER_OPTIONS);
    }

    @Override
    public ChannelSocket netkitSocket() {
        return socket;
    }

    @Override
    public int readyOps(int readiness) {
        return bound && (readiness & ReadinessListener.READ) != 0 ? SelectionKey.OP_ACCEPT : 0;
    }

    @Override
    public ServerSocketChannel bind(SocketAddress local, int backlog) throws IOException {
        socket.ensureOpen();
        SockAddr a = Errors.address(local, true);
        synchronized (this) {
            if (bound) {
                throw new java.nio.channels.AlreadyBoundException();
            }
            try {
                socket.sockets.bind(socket.token, a);
                socket.sockets.listen(socket.token, backlog < 1 ? 50 : backlog); // the JDK's default
            } catch (ErrnoException e) {
                throw Errors.io(e);
            }
            bound = true;
        }
        return this;
    }

    boolean isBound() {
        return bound;
    }

    @Override
    public <T> ServerSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        socket.setOption(name, value);
        return this;
    }

    @Override
    public ServerSocket socket() {
        NetkitServerSocketAdaptor a = adaptor;
        if (a == null) {
            synchronized (this) {
                if (adaptor == null) {
                    adaptor = NetkitServerSocketAdaptor.of(this);
                }
                a = adaptor;
            }
        }
        return a;
    }

    /**
     * Takes a connection: null when non-blocking and none is queued (found by readiness first, so no
     * exception is made). The new channel is in blocking mode, as the JDK's.
     */
    @Override
    public SocketChannel accept() throws IOException {
        socket.ensureOpen();
        if (!bound) {
            throw new NotYetBoundException();
        }
        boolean blocking = isBlocking();
        Accepted a = null;
        try {
            if (blocking) {
                begin();
            } else if ((socket.sockets.poll(socket.token) & ReadinessListener.READ) == 0) {
                return null;
            }
            a = socket.sockets.accept(socket.token);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EWOULDBLOCK && !blocking) {
                return null;
            }
            throw Errors.io(e);
        } finally {
            if (blocking) {
                end(a != null);
            }
        }
        ChannelSocket child = new ChannelSocket(socket.sockets, a.token(), ChannelSocket.STREAM_OPTIONS);
        try {
            child.blocking(true);
        } catch (IOException e) {
            child.close();
            throw e;
        }
        return new NetkitSocketChannel(provider, child, a.client());
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        socket.ensureOpen();
        if (!bound) {
            return null;
        }
        try {
            return socket.sockets.getsockname(socket.token).toInetSocketAddress();
        } catch (ErrnoException e) {
            throw Errors.io(e);
        }
    }

    @Override
    protected void implCloseSelectableChannel() {
        socket.close();
    }

    @Override
    protected void implConfigureBlocking(boolean block) throws IOException {
        socket.blocking(block);
    }

    @Override
    public String toString() {
        return "NetkitServerSocketChannel[" + (isOpen() ? "token " + socket.token : "closed") + "]";
    }
}
