package netkit.nio;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.ReadinessListener;
import netkit.api.SockAddr;
import netkit.api.TokenSet;

/**
 * A {@link SocketChannel} on a netkit TCP socket. Non-blocking reads and writes go through
 * {@link Net#MSG_TRY} (nothing to do costs no exception) and the ByteBuffer calls (heap or direct,
 * one copy into or out of the socket's buffers). Blocking mode uses netkit's blocking calls.
 */
final class NetkitSocketChannel extends SocketChannel implements NetkitChannel {
    private enum State { UNCONNECTED, PENDING, CONNECTED }

    private final ChannelSocket socket;
    private final Object stateLock = new Object();
    private volatile State state;
    private volatile SockAddr remote;
    private volatile boolean inputShut;
    private volatile boolean outputShut;
    private volatile NetkitSocketAdaptor adaptor;

    /** A new, unconnected channel. */
    NetkitSocketChannel(NetkitSelectorProvider provider) throws IOException {
        this(provider, ChannelSocket.open(provider.sockets(), Net.SOCK_STREAM, ChannelSocket.STREAM_OPTIONS), null);
    }

    /** An accepted connection from {@code remote}. */
    NetkitSocketChannel(NetkitSelectorProvider provider, ChannelSocket socket, SockAddr remote) {
        super(provider);
        this.socket = socket;
        this.remote = remote;
        this.state = remote == null ? State.UNCONNECTED : State.CONNECTED;
    }

    @Override
    public ChannelSocket netkitSocket() {
        return socket;
    }

    @Override
    public int readyOps(int readiness) {
        if (readiness == 0) {
            return 0;
        }
        State s = state;
        if (s == State.PENDING) {
            return (readiness & ReadinessListener.WRITE) != 0 ? SelectionKey.OP_CONNECT : 0;
        }
        if (s != State.CONNECTED) {
            return 0;
        }
        int ops = 0;
        if ((readiness & (ReadinessListener.READ | ReadinessListener.EXCEPTION)) != 0) {
            ops |= SelectionKey.OP_READ;
        }
        if ((readiness & (ReadinessListener.WRITE | ReadinessListener.EXCEPTION)) != 0) {
            ops |= SelectionKey.OP_WRITE;
        }
        return ops;
    }

    @Override
    public SocketChannel bind(SocketAddress local) throws IOException {
        socket.ensureOpen();
        SockAddr a = Errors.address(local, true);
        synchronized (stateLock) {
            if (state != State.UNCONNECTED) {
                throw state == State.PENDING ? new ConnectionPendingException() : new AlreadyConnectedException();
            }
            try {
                socket.sockets.bind(socket.token, a);
            } catch (ErrnoException e) {
                if (e.errno() == Errno.EINVAL) {
                    throw new java.nio.channels.AlreadyBoundException();
                }
                throw Errors.io(e);
            }
        }
        return this;
    }

    @Override
    public <T> SocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        socket.setOption(name, value);
        return this;
    }

    @Override
    public SocketChannel shutdownInput() throws IOException {
        shutdown(Net.SHUT_RD);
        inputShut = true;
        return this;
    }

    @Override
    public SocketChannel shutdownOutput() throws IOException {
        shutdown(Net.SHUT_WR);
        outputShut = true;
        return this;
    }

    private void shutdown(int how) throws IOException {
        socket.ensureOpen();
        if (state != State.CONNECTED) {
            throw new NotYetConnectedException();
        }
        try {
            socket.sockets.shutdown(socket.token, how);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ENOTCONN) { // the peer is gone already: nothing left to shut
                throw Errors.io(e);
            }
        }
    }

    /** A {@link Socket} whose calls are this channel's (Netty configures its channels through it). */
    @Override
    public Socket socket() {
        NetkitSocketAdaptor a = adaptor;
        if (a == null) {
            synchronized (stateLock) {
                if (adaptor == null) {
                    adaptor = NetkitSocketAdaptor.of(this);
                }
                a = adaptor;
            }
        }
        return a;
    }

    @Override
    public boolean isConnected() {
        return state == State.CONNECTED;
    }

    @Override
    public boolean isConnectionPending() {
        return state == State.PENDING;
    }

    boolean isInputShut() {
        return inputShut;
    }

    boolean isOutputShut() {
        return outputShut;
    }

    @Override
    public boolean connect(SocketAddress to) throws IOException {
        socket.ensureOpen();
        SockAddr a = Errors.address(to, false);
        synchronized (stateLock) {
            if (state == State.CONNECTED) {
                throw new AlreadyConnectedException();
            }
            if (state == State.PENDING) {
                throw new ConnectionPendingException();
            }
            if (a.address() == 0) {
                a = a.withAddress(Net.INADDR_LOOPBACK); // the JDK connects to the wildcard as to the local host
            }
            remote = a;
            boolean blocking = isBlocking();
            try {
                if (blocking) {
                    begin();
                }
                socket.sockets.connect(socket.token, a);
                state = State.CONNECTED;
                return true;
            } catch (ErrnoException e) {
                if (e.errno() == Errno.EINPROGRESS) {
                    state = State.PENDING;
                    return false;
                }
                remote = null;
                close();
                throw Errors.io(e);
            } finally {
                if (blocking) {
                    end(state == State.CONNECTED);
                }
            }
        }
    }

    @Override
    public boolean finishConnect() throws IOException {
        socket.ensureOpen();
        synchronized (stateLock) {
            if (state == State.CONNECTED) {
                return true;
            }
            if (state != State.PENDING) {
                throw new NoConnectionPendingException();
            }
            try {
                if (isBlocking()) {
                    try {
                        begin();
                        TokenSet w = TokenSet.of(socket.token);
                        socket.sockets.select(null, w, null, null);
                    } finally {
                        end(true);
                    }
                } else if ((socket.sockets.poll(socket.token) & ReadinessListener.WRITE) == 0) {
                    return false;
                }
                int error = socket.sockets.getsockopt(socket.token, Net.SOL_SOCKET, Net.SO_ERROR);
                if (error != 0) {
                    Errno errno = Errno.of(error);
                    close();
                    throw Errors.io(new ErrnoException(errno == null ? Errno.ECONNREFUSED : errno));
                }
                state = State.CONNECTED;
                return true;
            } catch (ErrnoException e) {
                close();
                throw Errors.io(e);
            }
        }
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        socket.ensureOpen();
        SockAddr r = remote;
        return state == State.CONNECTED && r != null ? r.toInetSocketAddress() : null;
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        socket.ensureOpen();
        try {
            SockAddr l = socket.sockets.getsockname(socket.token);
            return l.port() == 0 && l.address() == 0 ? null : l.toInetSocketAddress();
        } catch (ErrnoException e) {
            throw Errors.io(e);
        }
    }

    SockAddr remote() {
        return remote;
    }

    private void ensureConnected() throws IOException {
        socket.ensureOpen();
        if (state != State.CONNECTED) {
            throw new NotYetConnectedException();
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureConnected();
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read-only buffer");
        }
        if (inputShut) {
            return -1;
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        boolean blocking = isBlocking();
        int n = 0;
        try {
            if (blocking) {
                begin();
            }
            n = socket.sockets.recv(socket.token, dst, blocking ? 0 : Net.MSG_TRY);
            return n == Net.WOULDBLOCK ? 0 : n == 0 ? -1 : n;
        } catch (ErrnoException e) {
            throw readError(e);
        } finally {
            if (blocking) {
                end(n > 0);
            }
        }
    }

    private IOException readError(ErrnoException e) {
        if (e.errno() == Errno.EBADF && !isOpen()) {
            return new java.nio.channels.AsynchronousCloseException();
        }
        return Errors.io(e);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, dsts.length);
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            if (!dsts[i].hasRemaining()) {
                continue;
            }
            int want = dsts[i].remaining();
            int n = read(dsts[i]);
            if (n < 0) {
                return total > 0 ? total : -1;
            }
            total += n;
            if (n < want || isBlocking()) { // blocking: do not wait again once something came
                break;
            }
        }
        return total;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        ensureConnected();
        if (outputShut) {
            throw new java.nio.channels.ClosedChannelException();
        }
        boolean blocking = isBlocking();
        int n = 0;
        try {
            if (blocking) {
                begin();
            }
            n = socket.sockets.send(socket.token, src, blocking ? 0 : Net.MSG_TRY);
            return n == Net.WOULDBLOCK ? 0 : n;
        } catch (ErrnoException e) {
            throw readError(e);
        } finally {
            if (blocking) {
                end(n > 0);
            }
        }
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, srcs.length);
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            if (!srcs[i].hasRemaining()) {
                continue;
            }
            int n = write(srcs[i]);
            total += n;
            if (srcs[i].hasRemaining()) {
                break; // the send buffer is full
            }
        }
        return total;
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
        return "NetkitSocketChannel[" + (isOpen() ? "token " + socket.token + " " + state + (remote == null ? "" : " to " + remote) : "closed") + "]";
    }
}
