package netkit.api;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The Network Kit socket calls on socket tokens. A token is a non-negative int (0 is valid) that
 * is not a file descriptor. Registered as a bundle-scoped service: each bundle sees only the tokens
 * it created (another bundle's token gets {@link Errno#EBADF}), and its sockets are closed when it
 * stops. A closed token is not handed out again until at least as many other sockets as the table
 * holds have been created (failed calls do not count), so a stale token gets EBADF rather than
 * somebody else's socket. Each bundle holds sockets and socket buffers within its quotas (EMFILE,
 * ENOBUFS beyond them); other bundles are not affected.
 *
 * <p>Every call on a token that is not open for the caller throws {@link Errno#EBADF}. Calls on a
 * socket whose protocol bundle has gone away throw {@link Errno#ENETDOWN} until it is closed.
 * Blocking calls honour {@link Net#SO_NONBLOCK}, {@link Net#MSG_DONTWAIT} ({@link Errno#EWOULDBLOCK})
 * and {@link Net#SO_RCVTIMEO}/{@link Net#SO_SNDTIMEO}; a blocked call is woken with
 * {@link Errno#EINTR} when its thread is interrupted and with {@link Errno#EBADF} when another
 * thread closes the socket.
 *
 * <p>For event loops: {@link Net#MSG_TRY} makes a send or receive non-blocking and returns
 * {@link Net#WOULDBLOCK} instead of throwing when nothing can be done now; {@link #poll} reads a
 * socket's readiness and {@link #readinessListener} is told when it rises; the {@link ByteBuffer}
 * forms of send and receive take heap or direct buffers and copy only into and out of the socket's
 * own buffers. Addresses are {@link SockAddr}s; {@link SockAddr#of(java.net.InetSocketAddress)} and
 * {@link SockAddr#toInetSocketAddress()} convert Java's.
 */
@ProviderType
public interface SocketManager {
    /**
     * Service property of the SocketManager service: the names of the transport protocols present
     * ({@code String[]}, e.g. {@code udp}, {@code tcp}, {@code icmp}), updated as protocol bundles
     * come and go. A component that needs a protocol targets it, e.g.
     * {@code @Reference(target = "(netkit.protocols=udp)")}, and is bound only while that protocol
     * serves {@code socket()}: it never sees EPROTONOSUPPORT for it.
     */
    String PROTOCOLS = "netkit.protocols";

    /**
     * Creates a socket.
     *
     * @param family   {@link Net#AF_INET}
     * @param type     {@link Net#SOCK_STREAM}, {@link Net#SOCK_DGRAM} or {@link Net#SOCK_RAW} (with
     *                 {@link Net#IPPROTO_ICMP} only)
     * @param protocol 0 (the type's default), {@link Net#IPPROTO_TCP}, {@link Net#IPPROTO_UDP} or
     *                 {@link Net#IPPROTO_ICMP}
     * @return the new token
     * @throws ErrnoException EAFNOSUPPORT for another family; EPROTOTYPE when the protocol does not
     *                        fit the type; EPROTONOSUPPORT when no protocol bundle serves the triple
     *                        (not installed or stopped; {@code SOCK_RAW} with any protocol but
     *                        ICMP); EPERM for {@code SOCK_RAW} when raw sockets are turned off;
     *                        EMFILE when the socket table or the bundle's socket quota is full; ENOBUFS when the bundle's buffer quota
     *                        has no room for the new socket's SO_SNDBUF and SO_RCVBUF
     */
    int socket(int family, int type, int protocol) throws ErrnoException;

    /**
     * Closes a socket: stream sockets send FIN and finish in the background (or abort, or linger,
     * per {@link Net#SO_LINGER}); all resources are freed and the token becomes invalid. Lingering
     * with n &gt; 0 seconds blocks until the peer has acknowledged the data and the FIN, or until n
     * seconds have passed on the stack's clock; then it returns normally (no error) and the close
     * finishes in the background. An interrupt ends the wait the same way.
     *
     * @throws ErrnoException EBADF for an invalid token
     */
    void closesocket(int socket) throws ErrnoException;

    /**
     * Binds a socket to a local interface (address and port). Port 0 picks an ephemeral port;
     * address {@link Net#INADDR_ANY} binds to every local address.
     *
     * @return the address actually bound (the chosen port filled in)
     * @throws ErrnoException EBADF; EINVAL when already bound or an accept socket; EADDRINUSE when
     *                        taken (unless {@link Net#SO_REUSEADDR} allows it, or this socket and every
     *                        one holding the port set {@link Net#SO_REUSEPORT}); EADDRNOTAVAIL when the
     *                        address is not local; EFAULT when the address is null
     */
    SockAddr bind(int socket, SockAddr local) throws ErrnoException;

    /**
     * Stream: connects to a listener, blocking through the handshake. Datagram: caches the peer
     * for {@link #send}/{@link #recv} and filters received datagrams to that peer; connecting again
     * replaces it.
     *
     * A stream socket whose connect failed (refused, timed out, unreachable) may connect again, as on
     * Linux; a failure of a non-blocking connect not yet read through {@link Net#SO_ERROR} is
     * reported by that next call instead, once.
     *
     * @throws ErrnoException EBADF; EISCONN once connected (also after that connection ended);
     *                        ECONNREFUSED when the listener refuses; ETIMEDOUT when the SYN goes
     *                        unanswered; ENETUNREACH/EHOSTUNREACH when there is no way there;
     *                        EINPROGRESS for a non-blocking stream socket, or when
     *                        {@link Net#SO_SNDTIMEO} passed during a blocking one (Linux; completion
     *                        via {@link #select} write bits and {@link Net#SO_ERROR}); EALREADY while one
     *                        is under way; EOPNOTSUPP on a listener
     */
    void connect(int socket, SockAddr remote) throws ErrnoException;

    /**
     * Makes a bound stream socket a listener with the given acceptance count (clamped to the
     * stack's {@code somaxconn}): clients beyond it are refused, not queued.
     *
     * @throws ErrnoException EBADF; EOPNOTSUPP on a datagram socket; EINVAL when connected;
     *                        EDESTADDRREQ when not bound
     */
    void listen(int socket, int backlog) throws ErrnoException;

    /**
     * Waits for a client on a listener and returns the new accept socket and the client's address.
     * A waiting accept holds no place in the socket table.
     *
     * @throws ErrnoException EBADF; EINVAL when not listening; EWOULDBLOCK (non-blocking, nothing
     *                        pending, or SO_RCVTIMEO passed); EMFILE when the socket table or the
     *                        bundle's socket quota is full, ENOBUFS when its buffer quota has no room
     *                        for the listener's buffer sizes: the connection then stays queued
     */
    Accepted accept(int socket) throws ErrnoException;

    /**
     * Sends bytes on a connected socket.
     *
     * @return the number of bytes sent (for streams, all of them unless non-blocking, or unless
     *         {@link Net#SO_SNDTIMEO} expired or the thread was interrupted after part was queued:
     *         then the part; EWOULDBLOCK or EINTR only when nothing was)
     * @throws ErrnoException EBADF; ENOTCONN; EWOULDBLOCK; EPIPE when shut for writing or reset;
     *                        ECONNRESET (or ETIMEDOUT) once when the connection failed, then EPIPE; EMSGSIZE for an oversize datagram; EDESTADDRREQ for an
     *                        unconnected datagram socket; EINTR; on a connected datagram socket, once,
     *                        a hard ICMP error about an earlier datagram to its peer: ECONNREFUSED (port
     *                        unreachable), ENOPROTOOPT (protocol unreachable), EMSGSIZE (fragmentation
     *                        needed), EHOSTUNREACH when this stack's own neighbour resolution for
     *                        the peer failed; soft ones from the network (host unreachable, time
     *                        exceeded) are not reported
     */
    int send(int socket, byte[] buf, int offset, int length, int flags) throws ErrnoException;

    /**
     * Receives bytes from a connected socket; blocks until data is there (on a stream socket, until
     * {@link Net#SO_RCVLOWAT} bytes are, or the requested length if smaller). A stream read stops
     * just before an urgent byte; {@link Net#MSG_OOB} reads that byte out of band when
     * {@link Net#SO_OOBINLINE} is off.
     *
     * @return the number of bytes received; 0 at end of stream (the peer's FIN)
     * @throws ErrnoException EBADF; ENOTCONN; EINVAL for {@link Net#MSG_OOB} without an out-of-band
     *                        urgent byte to read; EWOULDBLOCK when non-blocking with nothing there or
     *                        when {@link Net#SO_RCVTIMEO} passed (Linux's EAGAIN); ECONNRESET; ETIMEDOUT
     *                        when the connection timed out (retransmissions or keepalive); EINTR; on a
     *                        connected datagram socket, once, a hard ICMP error as for {@link #send}:
     *                        ECONNREFUSED (port unreachable), ENOPROTOOPT, EMSGSIZE, EHOSTUNREACH
     */
    int recv(int socket, byte[] buf, int offset, int length, int flags) throws ErrnoException;

    /**
     * {@link #send(int, byte[], int, int, int)} from the bytes between {@code src}'s position and
     * limit (heap or direct, copied once, into the socket's buffer); the position moves past the
     * bytes sent.
     *
     * @return the number of bytes sent, or {@link Net#WOULDBLOCK} with {@link Net#MSG_TRY}
     * @throws ErrnoException as for the array form; EFAULT when {@code src} is null
     */
    int send(int socket, ByteBuffer src, int flags) throws ErrnoException;

    /**
     * {@link #recv(int, byte[], int, int, int)} into the space between {@code dst}'s position and
     * limit (heap or direct, copied once, out of the socket's buffer); the position moves past the
     * bytes received.
     *
     * @return the number of bytes received, 0 at end of stream, or {@link Net#WOULDBLOCK} with
     *         {@link Net#MSG_TRY}
     * @throws ErrnoException as for the array form; EFAULT when {@code dst} is null; EINVAL when it
     *                        is read-only
     */
    int recv(int socket, ByteBuffer dst, int flags) throws ErrnoException;

    /**
     * Sends one datagram to {@code to} (an unbound socket is bound to an ephemeral port first).
     *
     * @throws ErrnoException EBADF; EMSGSIZE; EACCES for broadcast without {@link Net#SO_BROADCAST};
     *                        ENETUNREACH/EHOSTUNREACH; EISCONN on a connected stream socket
     */
    int sendto(int socket, byte[] buf, int offset, int length, int flags, SockAddr to) throws ErrnoException;

    /**
     * Receives one datagram; the sender and truncation are reported in {@code info} (may be null).
     *
     * @return the number of bytes copied into {@code buf}
     * @throws ErrnoException EBADF; EWOULDBLOCK; ETIMEDOUT; EINTR
     */
    int recvfrom(int socket, byte[] buf, int offset, int length, int flags, RecvInfo info) throws ErrnoException;

    /**
     * {@link #sendto(int, byte[], int, int, int, SockAddr)} from {@code src}'s remaining bytes; the
     * position moves past the bytes sent.
     *
     * @return the number of bytes sent, or {@link Net#WOULDBLOCK} with {@link Net#MSG_TRY}
     */
    int sendto(int socket, ByteBuffer src, int flags, SockAddr to) throws ErrnoException;

    /**
     * {@link #recvfrom(int, byte[], int, int, int, RecvInfo)} into {@code dst}'s remaining space; the
     * position moves past the bytes received.
     *
     * @return the number of bytes received, or {@link Net#WOULDBLOCK} with {@link Net#MSG_TRY}
     */
    int recvfrom(int socket, ByteBuffer dst, int flags, RecvInfo info) throws ErrnoException;

    /**
     * The socket's readiness now, without waiting: {@link ReadinessListener#READ},
     * {@link ReadinessListener#WRITE} and {@link ReadinessListener#EXCEPTION} as {@link #select}
     * would report them. A closed or detached socket is all three.
     *
     * @throws ErrnoException EBADF
     */
    int poll(int socket) throws ErrnoException;

    /**
     * Sets the socket's readiness listener (null removes it; one per token, a new one replaces the
     * old). Once set, the listener is called soon with the current readiness if any bit is set, and
     * then whenever a bit rises (see {@link ReadinessListener} for the threading contract). Closing
     * the socket removes it.
     *
     * @throws ErrnoException EBADF
     */
    void readinessListener(int socket, ReadinessListener listener) throws ErrnoException;

    /**
     * Waits until a socket in one of the sets is ready: read (data, end of stream, pending accept,
     * error), write (buffer space, connect finished), exception (pending error, urgent data). Each
     * non-null set is rewritten to its ready tokens.
     *
     * @param timeout null to wait forever, {@link Duration#ZERO} to poll; one too long for a long of
     *                nanoseconds waits as long as that can count (about 292 years)
     * @return the number of ready tokens summed over the sets; 0 on timeout
     * @throws ErrnoException EBADF when a set names a token that is not open for the caller; EINVAL
     *                        for a negative timeout; EINTR
     */
    int select(TokenSet read, TokenSet write, TokenSet exception, Duration timeout) throws ErrnoException;

    /**
     * Sets an option. Levels: {@link Net#SOL_SOCKET}, {@link Net#IPPROTO_IP},
     * {@link Net#IPPROTO_TCP}. Values are ints (booleans as 0/1; see each option's constant).
     *
     * @throws ErrnoException EBADF; ENOPROTOOPT for an unknown level or option; EINVAL for a bad value;
     *                        ENOBUFS when a raised SO_SNDBUF or SO_RCVBUF exceeds the bundle's buffer
     *                        quota (the option keeps its value)
     */
    void setsockopt(int socket, int level, int option, int value) throws ErrnoException;

    /**
     * Reads an option.
     *
     * @throws ErrnoException EBADF; ENOPROTOOPT for an unknown level or option
     */
    int getsockopt(int socket, int level, int option) throws ErrnoException;

    /**
     * The statistics of a TCP socket's connection, Linux's {@code getsockopt(fd, IPPROTO_TCP,
     * TCP_INFO)}: see {@link TcpInfo} for each field. Also after the connection has ended (state
     * {@code CLOSED}: its last figures), until the socket is closed.
     *
     * @throws ErrnoException EBADF; EOPNOTSUPP for a socket of another protocol (as Linux answers
     *                        {@code TCP_INFO} on a UDP socket); ENOTCONN for a TCP socket without a
     *                        connection, a listener or one never connected (Linux reports a fresh
     *                        connection block's defaults there; netkit has none to report)
     */
    TcpInfo tcpInfo(int socket) throws ErrnoException;

    /**
     * The local interface the socket is bound to ({@link SockAddr#ANY} when unbound).
     *
     * @throws ErrnoException EBADF
     */
    SockAddr getsockname(int socket) throws ErrnoException;

    /**
     * The remote interface the socket is connected to.
     *
     * @throws ErrnoException EBADF; ENOTCONN when not connected: for a stream socket also while its
     *                        handshake is under way and once its connection has ended (refused, reset,
     *                        timed out or closed), as on Linux
     */
    SockAddr getpeername(int socket) throws ErrnoException;

    /**
     * Shuts down part of a full-duplex connection: {@link Net#SHUT_RD}, {@link Net#SHUT_WR} (sends
     * FIN) or {@link Net#SHUT_RDWR}.
     *
     * @throws ErrnoException EBADF; EINVAL for another {@code how}; ENOTCONN when not connected
     */
    void shutdown(int socket, int how) throws ErrnoException;
}
