package netkit.api.spi.support;

import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.RecvInfo;
import netkit.api.SockAddr;
import netkit.api.spi.protocol.Route;
import netkit.api.spi.protocol.SocketOptions;
import netkit.api.spi.protocol.StackContext;

/**
 * The semantics shared by datagram sockets with ports (UDP, ICMP), in the Network Kit's
 * categories: a receiver must be bound; a sender may be unbound (bound to an ephemeral port or
 * identifier on its first send); a bound socket both sends and receives. {@code connect} caches the
 * peer for {@code send}/{@code recv}, filters received datagrams to that peer, and may be called
 * again to change it. The port binding is this class's; the rest is {@link DatagramSocketCore}'s.
 * Subclasses build and send the datagram ({@link #emit}).
 */
public abstract class DatagramSocketBase extends DatagramSocketCore {
    private final PortTable<DatagramSocketBase> ports;
    private final String protocolName;
    private PortTable.Binding<DatagramSocketBase> binding;

    /** A socket of protocol {@code protocolName} binding in {@code ports}. */
    protected DatagramSocketBase(StackContext ctx, SocketOptions options, PortTable<DatagramSocketBase> ports,
            String protocolName) {
        super(ctx, options, protocolName, "datagram");
        this.ports = ports;
        this.protocolName = protocolName;
    }

    /**
     * Builds and sends one datagram of {@code buf[off..off+len)} from {@code localPort} to
     * {@code dst} along {@code route} (whose source is already the socket's). Lock held.
     */
    protected abstract void emit(byte[] buf, int off, int len, int localPort, SockAddr dst, Route route)
            throws ErrnoException;

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
    protected SockAddr connected(SockAddr remote, Route route) throws ErrnoException {
        if (binding == null) {
            bindLocked(0, 0);
        }
        return remote;
    }

    @Override
    protected int sendingFrom() throws ErrnoException {
        if (binding == null) {
            bindLocked(0, 0); // the sender category: implicit ephemeral bind
        }
        return binding.address();
    }

    @Override
    protected void transmit(byte[] buf, int off, int len, SockAddr dst, Route route) throws ErrnoException {
        emit(buf, off, len, binding.port(), dst, route);
    }

    @Override
    protected void checkReceiver(RecvInfo info) throws ErrnoException {
        if (info == null && peer() == null) {
            throw new ErrnoException(Errno.ENOTCONN, "recv needs connect(); use recvfrom");
        }
        if (binding == null) {
            throw new ErrnoException(Errno.EINVAL, "a receiver must be bound");
        }
    }

    @Override
    protected void unbind() {
        ports.release(binding);
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
    public SockAddr localAddress() {
        PortTable.Binding<DatagramSocketBase> b = binding;
        return b == null ? SockAddr.ANY : SockAddr.of(b.address(), b.port());
    }

    /** Whether a datagram from {@code from} may be received (a connected socket hears only its peer). */
    public boolean accepts(SockAddr from) {
        SockAddr peer = peer();
        return receiving() && (peer == null || peer.equals(from));
    }

    /** Whether the socket is connected to {@code a}. */
    public boolean connectedTo(SockAddr a) {
        SockAddr peer = peer();
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
}
