package netkit.api.spi.protocol;

import java.nio.ByteBuffer;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.RecvInfo;
import netkit.api.SockAddr;
import netkit.api.TcpInfo;
import netkit.api.admin.SocketStatus;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One socket as a protocol implements it. The socket layer has already checked the token and
 * handles the options in {@link SocketOptions}; methods are called on application threads without
 * the stack lock held, and may block (taking the lock and waiting on its conditions).
 */
@ConsumerType
public interface ProtocolSocket {
    /** Binds; returns the address actually bound. */
    SockAddr bind(SockAddr local) throws ErrnoException;

    /** Connects (stream) or sets the default peer (datagram). */
    void connect(SockAddr remote) throws ErrnoException;

    /** Starts listening. */
    void listen(int backlog) throws ErrnoException;

    /**
     * Takes a pending connection; the socket layer has reserved a token for it.
     *
     * @param child receives the new socket's options (inherited from this one)
     */
    ProtocolSocket accept(SocketOptions child) throws ErrnoException;

    /** Sends; {@code to} is null for {@code send}, the destination for {@code sendto}. */
    int send(byte[] buf, int offset, int length, int flags, SockAddr to) throws ErrnoException;

    /** Receives; {@code info} (nullable) gets the sender and result flags. */
    int recv(byte[] buf, int offset, int length, int flags, RecvInfo info) throws ErrnoException;

    /**
     * Sends {@code src}'s remaining bytes and moves its position past those sent. This default goes
     * through {@link #send(byte[], int, int, int, SockAddr)}: a heap buffer's own array, a direct
     * buffer's bytes copied into a new array first; a protocol that can copy straight from a direct
     * buffer overrides it.
     */
    default int send(ByteBuffer src, int flags, SockAddr to) throws ErrnoException {
        int n;
        if (src.hasArray()) {
            n = send(src.array(), src.arrayOffset() + src.position(), src.remaining(), flags, to);
        } else {
            byte[] copy = new byte[src.remaining()];
            src.duplicate().get(copy);
            n = send(copy, 0, copy.length, flags, to);
        }
        src.position(src.position() + n);
        return n;
    }

    /**
     * Receives into {@code dst}'s remaining space (writable) and moves its position past the bytes
     * received. This default goes through {@link #recv(byte[], int, int, int, RecvInfo)}: a heap
     * buffer's own array, a direct buffer through a new array; a protocol that can copy straight into
     * a direct buffer overrides it.
     */
    default int recv(ByteBuffer dst, int flags, RecvInfo info) throws ErrnoException {
        if (dst.hasArray()) {
            int n = recv(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining(), flags, info);
            dst.position(dst.position() + n);
            return n;
        }
        byte[] copy = new byte[dst.remaining()];
        int n = recv(copy, 0, copy.length, flags, info);
        dst.put(copy, 0, n);
        return n;
    }

    /** Shuts down reading, writing or both. */
    void shutdown(int how) throws ErrnoException;

    /**
     * Sets a protocol-level option ({@code IPPROTO_TCP}, ...), or is told that a socket-level one
     * changed ({@code SOL_SOCKET}: value already stored in {@link SocketOptions}).
     *
     * @throws ErrnoException ENOPROTOOPT for options the protocol does not know
     */
    void setOption(int level, int option, int value) throws ErrnoException;

    /** Reads a protocol-level option; ENOPROTOOPT when unknown. */
    int getOption(int level, int option) throws ErrnoException;

    /**
     * The connection's statistics ({@link netkit.api.SocketManager#tcpInfo}); the socket layer has
     * checked the token. This default is a protocol without them: EOPNOTSUPP.
     *
     * @throws ErrnoException EOPNOTSUPP when the protocol is not TCP; ENOTCONN when the socket has
     *                        no connection
     */
    default TcpInfo tcpInfo() throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP, "TCP_INFO on a socket that is not TCP");
    }

    /** Takes and clears the pending error (SO_ERROR): 0 or an errno number. */
    int takeError();

    /** The local address, {@link SockAddr#ANY} when unbound. */
    SockAddr localAddress();

    /** The peer, or null when not connected. */
    SockAddr remoteAddress();

    /** Readiness bits ({@link Readiness}); called with the stack lock held. */
    int readiness();

    /** Closes per SO_LINGER: frees the socket; may block only when lingering with a timeout. */
    void close();

    /** The socket for netstat ({@code token} and {@code owner} are filled in by the socket layer). */
    SocketStatus status(int token, String owner);
}
