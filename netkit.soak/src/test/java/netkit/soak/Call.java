package netkit.soak;

import static netkit.api.Errno.EACCES;
import static netkit.api.Errno.EADDRINUSE;
import static netkit.api.Errno.EADDRNOTAVAIL;
import static netkit.api.Errno.EAFNOSUPPORT;
import static netkit.api.Errno.EALREADY;
import static netkit.api.Errno.EBADF;
import static netkit.api.Errno.ECONNREFUSED;
import static netkit.api.Errno.ECONNRESET;
import static netkit.api.Errno.EDESTADDRREQ;
import static netkit.api.Errno.EFAULT;
import static netkit.api.Errno.EHOSTUNREACH;
import static netkit.api.Errno.EINPROGRESS;
import static netkit.api.Errno.EINTR;
import static netkit.api.Errno.EINVAL;
import static netkit.api.Errno.EISCONN;
import static netkit.api.Errno.EMFILE;
import static netkit.api.Errno.EMSGSIZE;
import static netkit.api.Errno.ENETDOWN;
import static netkit.api.Errno.ENETUNREACH;
import static netkit.api.Errno.ENOPROTOOPT;
import static netkit.api.Errno.ENOTCONN;
import static netkit.api.Errno.EOPNOTSUPP;
import static netkit.api.Errno.EPIPE;
import static netkit.api.Errno.EPROTONOSUPPORT;
import static netkit.api.Errno.EPROTOTYPE;
import static netkit.api.Errno.ETIMEDOUT;
import static netkit.api.Errno.EWOULDBLOCK;

import java.util.EnumSet;
import java.util.Set;
import netkit.api.Errno;

/**
 * The socket calls the soak makes, each with the errno values {@code netkit.api.SocketManager}'s
 * Javadoc documents for it. Every call on a token may also fail with EBADF, and with ENETDOWN once
 * the socket's protocol has gone (the interface's own Javadoc); {@link #CONNECT_RESULT} is the
 * SO_ERROR of a non-blocking connect, which reports what a blocking connect would have thrown.
 */
enum Call {
    SOCKET(false, EAFNOSUPPORT, EPROTOTYPE, EPROTONOSUPPORT, EMFILE),
    CLOSESOCKET(true),
    BIND(true, EINVAL, EADDRINUSE, EADDRNOTAVAIL, EFAULT),
    CONNECT(true, EISCONN, ECONNREFUSED, ETIMEDOUT, ENETUNREACH, EHOSTUNREACH, EINPROGRESS, EALREADY, EOPNOTSUPP),
    CONNECT_RESULT(true, ECONNREFUSED, ETIMEDOUT, ENETUNREACH, EHOSTUNREACH),
    LISTEN(true, EOPNOTSUPP, EINVAL, EDESTADDRREQ),
    ACCEPT(true, EINVAL, EWOULDBLOCK, EMFILE),
    SEND(true, ENOTCONN, EWOULDBLOCK, EPIPE, ECONNRESET, EMSGSIZE, EDESTADDRREQ, EINTR),
    RECV(true, ENOTCONN, EWOULDBLOCK, ECONNRESET, ETIMEDOUT, EINTR),
    SENDTO(true, EMSGSIZE, EACCES, ENETUNREACH, EHOSTUNREACH, EISCONN),
    RECVFROM(true, EWOULDBLOCK, ETIMEDOUT, EINTR),
    SELECT(true, EINTR),
    SETSOCKOPT(true, ENOPROTOOPT, EINVAL),
    GETSOCKOPT(true, ENOPROTOOPT),
    SHUTDOWN(true, EINVAL, ENOTCONN);

    private final Set<Errno> documented;

    Call(boolean onToken, Errno... errnos) {
        documented = EnumSet.noneOf(Errno.class);
        documented.addAll(Set.of(errnos));
        if (onToken) {
            documented.add(EBADF);
            documented.add(ENETDOWN);
        }
    }

    /** A connected datagram socket's send and recv report a hard ICMP error, or our own ARP failure, once. */
    private static final Set<Errno> HARD_ICMP = EnumSet.of(ECONNREFUSED, ENOPROTOOPT, EMSGSIZE, EHOSTUNREACH);

    /**
     * Whether the Javadoc documents {@code e} for this call on a socket of this kind. The stream
     * and datagram variants differ where the Javadoc says so: a connected datagram socket's send and
     * recv report hard ICMP errors; EMSGSIZE and EDESTADDRREQ from send are datagrams'.
     */
    boolean documents(Errno e, boolean stream) {
        if (!stream && (this == SEND || this == RECV) && HARD_ICMP.contains(e)) {
            return true;
        }
        if (stream && this == SEND && (e == EMSGSIZE || e == EDESTADDRREQ)) {
            return false;
        }
        return documented.contains(e);
    }
}
