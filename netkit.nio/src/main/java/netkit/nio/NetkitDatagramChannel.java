package netkit.nio;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.ReadinessListener;
import netkit.api.RecvInfo;
import netkit.api.SockAddr;

/**
 * A {@link DatagramChannel} on a netkit UDP socket: send/receive, connect, read/write when connected.
 * No {@link #socket()} adaptor, no multicast, and no {@link #disconnect()} (netkit UDP sockets can
 * change their peer but not forget it).
 */
final class NetkitDatagramChannel extends DatagramChannel implements NetkitChannel {
    private final ChannelSocket socket;
    private final RecvInfo info = new RecvInfo(); // guarded by this
    private volatile SockAddr peer;
    private volatile boolean bound;

    NetkitDatagramChannel(NetkitSelectorProvider provider) throws IOException {
        super(provider);
        this.socket = ChannelSocket.open(provider.sockets(), Net.SOCK_DGRAM, ChannelSocket.DATAGRAM_OPTIONS);
    }

    @Override
    public ChannelSocket netkitSocket() {
        return socket;
    }

    @Override
    public int readyOps(int readiness) {
        int ops = 0;
        if ((readiness & (ReadinessListener.READ | ReadinessListener.EXCEPTION)) != 0) {
            ops |= SelectionKey.OP_READ;
        }
        if ((readiness & ReadinessListener.WRITE) != 0) {
            ops |= SelectionKey.OP_WRITE;
        }
        return ops;
    }

    @Override
    public DatagramChannel bind(SocketAddress local) throws IOException {
        socket.ensureOpen();
        SockAddr a = Errors.address(local, true);
        synchronized (this) {
            if (bound) {
                throw new java.nio.channels.AlreadyBoundException();
            }
            try {
                socket.sockets.bind(socket.token, a);
            } catch (ErrnoException e) {
                throw Errors.io(e);
            }
            bound = true;
        }
        return this;
    }

    /** The JDK binds a receiving channel implicitly; netkit's receiver must be bound. */
    private void ensureBound() throws IOException {
        if (!bound) {
            synchronized (this) {
                if (!bound) {
                    try {
                        if (socket.sockets.getsockname(socket.token).port() == 0) {
                            socket.sockets.bind(socket.token, SockAddr.ANY);
                        }
                    } catch (ErrnoException e) {
                        throw Errors.io(e);
                    }
                    bound = true;
                }
            }
        }
    }

    @Override
    public <T> DatagramChannel setOption(SocketOption<T> name, T value) throws IOException {
        socket.setOption(name, value);
        return this;
    }

    /** Not offered: a DatagramSocket adaptor (left to a DatagramSocket subclass over the blocking API). */
    @Override
    public DatagramSocket socket() {
        throw new UnsupportedOperationException("no DatagramSocket adaptor for netkit datagram channels");
    }

    @Override
    public boolean isConnected() {
        return peer != null;
    }

    @Override
    public DatagramChannel connect(SocketAddress remote) throws IOException {
        socket.ensureOpen();
        SockAddr a = Errors.address(remote, false);
        synchronized (this) {
            if (peer != null) {
                throw new AlreadyConnectedException();
            }
            try {
                socket.sockets.connect(socket.token, a);
            } catch (ErrnoException e) {
                throw Errors.io(e);
            }
            peer = a;
            bound = true; // connect binds an ephemeral port
        }
        return this;
    }

    @Override
    public DatagramChannel disconnect() {
        throw new UnsupportedOperationException("netkit datagram sockets cannot forget their peer");
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        socket.ensureOpen();
        SockAddr p = peer;
        return p == null ? null : p.toInetSocketAddress();
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        socket.ensureOpen();
        try {
            SockAddr l = socket.sockets.getsockname(socket.token);
            return l.port() == 0 ? null : l.toInetSocketAddress();
        } catch (ErrnoException e) {
            throw Errors.io(e);
        }
    }

    @Override
    public SocketAddress receive(ByteBuffer dst) throws IOException {
        socket.ensureOpen();
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read-only buffer");
        }
        ensureBound();
        boolean blocking = isBlocking();
        synchronized (info) {
            int n = 0;
            try {
                if (blocking) {
                    begin();
                }
                n = socket.sockets.recvfrom(socket.token, dst, blocking ? 0 : Net.MSG_TRY, info);
                return n == Net.WOULDBLOCK ? null : info.from().toInetSocketAddress();
            } catch (ErrnoException e) {
                throw Errors.io(e);
            } finally {
                if (blocking) {
                    end(n >= 0);
                }
            }
        }
    }

    @Override
    public int send(ByteBuffer src, SocketAddress target) throws IOException {
        socket.ensureOpen();
        SockAddr to = Errors.address(target, false);
        SockAddr p = peer;
        if (p != null && !p.equals(to)) {
            throw new AlreadyConnectedException();
        }
        try {
            int n = socket.sockets.sendto(socket.token, src, isBlocking() ? 0 : Net.MSG_TRY, to);
            bound = true; // a send binds an ephemeral port
            return n == Net.WOULDBLOCK ? 0 : n;
        } catch (ErrnoException e) {
            throw Errors.io(e);
        }
    }

    private void ensureConnected() throws IOException {
        socket.ensureOpen();
        if (peer == null) {
            throw new NotYetConnectedException();
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureConnected();
        try {
            int n = socket.sockets.recv(socket.token, dst, isBlocking() ? 0 : Net.MSG_TRY);
            return n == Net.WOULDBLOCK ? 0 : n;
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ECONNREFUSED) {
                throw new java.net.PortUnreachableException("ICMP port unreachable");
            }
            throw Errors.io(e);
        }
    }

    /** One datagram scattered over {@code dsts}. */
    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, dsts.length);
        long room = 0;
        for (int i = offset; i < offset + length; i++) {
            room += dsts[i].remaining();
        }
        ByteBuffer one = ByteBuffer.allocate((int) Math.min(room, 65_535));
        int n = read(one);
        one.flip();
        for (int i = offset; i < offset + length && one.hasRemaining(); i++) {
            int k = Math.min(one.remaining(), dsts[i].remaining());
            ByteBuffer part = one.slice();
            part.limit(k);
            dsts[i].put(part);
            one.position(one.position() + k);
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        ensureConnected();
        try {
            int n = socket.sockets.send(socket.token, src, isBlocking() ? 0 : Net.MSG_TRY);
            return n == Net.WOULDBLOCK ? 0 : n;
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ECONNREFUSED) {
                throw new java.net.PortUnreachableException("ICMP port unreachable");
            }
            throw Errors.io(e);
        }
    }

    /** {@code srcs} gathered into one datagram. */
    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, srcs.length);
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += srcs[i].remaining();
        }
        ByteBuffer one = ByteBuffer.allocate((int) Math.min(total, 65_535));
        for (int i = offset; i < offset + length && one.hasRemaining(); i++) {
            ByteBuffer part = srcs[i].duplicate();
            part.limit(part.position() + Math.min(part.remaining(), one.remaining()));
            one.put(part);
        }
        one.flip();
        int n = write(one);
        long left = n;
        for (int i = offset; i < offset + length && left > 0; i++) {
            int k = (int) Math.min(left, srcs[i].remaining());
            srcs[i].position(srcs[i].position() + k);
            left -= k;
        }
        return n;
    }

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf) {
        throw new UnsupportedOperationException("netkit has no multicast");
    }

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf, InetAddress source) {
        throw new UnsupportedOperationException("netkit has no multicast");
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
        return "NetkitDatagramChannel[" + (isOpen() ? "token " + socket.token : "closed") + "]";
    }
}
