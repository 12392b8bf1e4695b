package netkit.itest;

import java.util.Map;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.RecvInfo;
import netkit.api.SockAddr;
import netkit.api.admin.SocketStatus;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.protocol.IpMeta;
import netkit.api.spi.protocol.ProtocolInstance;
import netkit.api.spi.protocol.ProtocolSocket;
import netkit.api.spi.protocol.Readiness;
import netkit.api.spi.protocol.SocketOptions;
import netkit.api.spi.protocol.StackContext;
import netkit.api.spi.protocol.TransportProtocol;

/**
 * A protocol registered by the test probe on IP protocol 254 (RFC 3692 experimentation): sockets
 * that exist and accept nothing, to exercise token scoping and protocol hot-swap in the framework.
 * Not netkit.stack's test {@code RawProtocol}: this one is registered from inside Felix by the Pax
 * Exam probe, which carries only this module's test classes, and needs no datagram delivery.
 */
final class NullProtocol implements TransportProtocol {
    static final int NUMBER = 254;

    @Override
    public String name() {
        return "null";
    }

    @Override
    public int family() {
        return Net.AF_INET;
    }

    @Override
    public int type() {
        return Net.SOCK_DGRAM;
    }

    @Override
    public int protocol() {
        return NUMBER;
    }

    @Override
    public boolean defaultForType() {
        return false;
    }

    @Override
    public ProtocolInstance attach(StackContext stack) {
        return new ProtocolInstance() {
            @Override
            public ProtocolSocket open(SocketOptions options) {
                return new NullSocket();
            }

            @Override
            public void receive(PacketBuffer packet, IpMeta ip) {
                packet.release();
            }

            @Override
            public void detach() {
            }
        };
    }

    private static final class NullSocket implements ProtocolSocket {
        @Override
        public SockAddr bind(SockAddr local) {
            return local;
        }

        @Override
        public void connect(SockAddr remote) throws ErrnoException {
            throw new ErrnoException(Errno.EOPNOTSUPP);
        }

        @Override
        public void listen(int backlog) throws ErrnoException {
            throw new ErrnoException(Errno.EOPNOTSUPP);
        }

        @Override
        public ProtocolSocket accept(SocketOptions child) throws ErrnoException {
            throw new ErrnoException(Errno.EOPNOTSUPP);
        }

        @Override
        public int send(byte[] buf, int offset, int length, int flags, SockAddr to) {
            return length;
        }

        @Override
        public int recv(byte[] buf, int offset, int length, int flags, RecvInfo info) throws ErrnoException {
            throw new ErrnoException(Errno.EWOULDBLOCK);
        }

        @Override
        public void shutdown(int how) {
        }

        @Override
        public void setOption(int level, int option, int value) throws ErrnoException {
            throw new ErrnoException(Errno.ENOPROTOOPT);
        }

        @Override
        public int getOption(int level, int option) throws ErrnoException {
            throw new ErrnoException(Errno.ENOPROTOOPT);
        }

        @Override
        public int takeError() {
            return 0;
        }

        @Override
        public SockAddr localAddress() {
            return SockAddr.ANY;
        }

        @Override
        public SockAddr remoteAddress() {
            return null;
        }

        @Override
        public int readiness() {
            return Readiness.WRITE;
        }

        @Override
        public void close() {
        }

        @Override
        public SocketStatus status(int token, String owner) {
            return new SocketStatus(token, owner, "null", SockAddr.ANY, SockAddr.ANY, "-", 0, 0, Map.of());
        }
    }
}
