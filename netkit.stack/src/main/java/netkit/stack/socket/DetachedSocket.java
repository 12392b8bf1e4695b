package netkit.stack.socket;

import java.util.Map;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.RecvInfo;
import netkit.api.SockAddr;
import netkit.api.TcpInfo;
import netkit.api.admin.SocketStatus;
import netkit.api.spi.protocol.ProtocolSocket;
import netkit.api.spi.protocol.Readiness;
import netkit.api.spi.protocol.SocketOptions;

/**
 * Stands in for a socket whose protocol bundle went away: every call fails with ENETDOWN until the
 * application closes the token; select reports it readable (a read would fail at once).
 */
final class DetachedSocket implements ProtocolSocket {
    private final String protocol;
    private final SockAddr local;
    private final SockAddr remote;

    DetachedSocket(String protocol, SockAddr local, SockAddr remote) {
        this.protocol = protocol;
        this.local = local;
        this.remote = remote;
    }

    private ErrnoException down() {
        return new ErrnoException(Errno.ENETDOWN, "protocol " + protocol + " is gone; close the socket");
    }

    @Override
    public SockAddr bind(SockAddr l) throws ErrnoException {
        throw down();
    }

    @Override
    public void connect(SockAddr r) throws ErrnoException {
        throw down();
    }

    @Override
    public void listen(int backlog) throws ErrnoException {
        throw down();
    }

    @Override
    public ProtocolSocket accept(SocketOptions child) throws ErrnoException {
        throw down();
    }

    @Override
    public int send(byte[] buf, int offset, int length, int flags, SockAddr to) throws ErrnoException {
        throw down();
    }

    @Override
    public int recv(byte[] buf, int offset, int length, int flags, RecvInfo info) throws ErrnoException {
        throw down();
    }

    @Override
    public TcpInfo tcpInfo() throws ErrnoException {
        throw down();
    }

    @Override
    public void shutdown(int how) throws ErrnoException {
        throw down();
    }

    @Override
    public void setOption(int level, int option, int value) throws ErrnoException {
        throw down();
    }

    @Override
    public int getOption(int level, int option) throws ErrnoException {
        throw down();
    }

    @Override
    public int takeError() {
        return Errno.ENETDOWN.number();
    }

    @Override
    public SockAddr localAddress() {
        return local;
    }

    @Override
    public SockAddr remoteAddress() {
        return remote;
    }

    @Override
    public int readiness() {
        return Readiness.READ | Readiness.WRITE | Readiness.EXCEPTION;
    }

    @Override
    public void close() {
    }

    @Override
    public SocketStatus status(int token, String owner) {
        return new SocketStatus(token, owner, protocol, local, remote == null ? SockAddr.ANY : remote, "DETACHED", 0, 0,
                Map.of());
    }
}
