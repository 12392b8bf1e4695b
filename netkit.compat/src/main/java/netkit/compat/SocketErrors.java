package netkit.compat;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import netkit.api.Errno;
import netkit.api.ErrnoException;

/**
 * The one mapping from netkit's errno values to the exceptions {@code java.net} throws for the
 * same condition, with the JDK's messages (its {@code Net.c} and {@code NioSocketImpl} on Linux):
 * a refused or timed-out connect is a {@link ConnectException}, {@code EHOSTUNREACH} a
 * {@link NoRouteToHostException}, an address in use or not local a {@link BindException}, a
 * reset {@code SocketException: Connection reset}, an expired {@code SO_TIMEOUT} a
 * {@link SocketTimeoutException} ("Read timed out", "Accept timed out", "Receive timed out"),
 * a port unreachable on a connected datagram socket a {@link PortUnreachableException}; anything
 * else a {@link SocketException} with the errno's text.
 */
final class SocketErrors {
    /** The call that failed: the same errno means different things to different calls. */
    enum Call {
        CONNECT, BIND, LISTEN, ACCEPT, READ, WRITE, SEND, RECEIVE, OPTION, SHUTDOWN, CREATE
    }

    private SocketErrors() {
    }

    /** {@code token} of an impl, when it is usable: "Socket closed" or "Socket not created" if not. */
    static int usable(int token, boolean closed) throws SocketException {
        if (closed) {
            throw new SocketException("Socket closed");
        }
        if (token < 0) {
            throw new SocketException("Socket not created");
        }
        return token;
    }

    /** An errno of a call on an impl; EBADF after the impl's own close is "Socket closed". */
    static IOException failed(ErrnoException e, Call call, boolean closed) {
        if (closed) {
            SocketException x = new SocketException("Socket closed");
            x.initCause(e);
            return x;
        }
        return map(e, call);
    }

    /** The exception the JDK throws where netkit's {@code call} failed with {@code e}. */
    static IOException map(ErrnoException e, Call call) {
        IOException x = exception(e.errno(), call);
        x.initCause(e);
        return x;
    }

    private static IOException exception(Errno errno, Call call) {
        switch (errno) {
            case ECONNREFUSED:
                return call == Call.SEND || call == Call.RECEIVE ? new PortUnreachableException()
                        : new ConnectException("Connection refused");
            case ETIMEDOUT:
                if (call == Call.RECEIVE) {
                    return new SocketTimeoutException("Receive timed out");
                }
                return call == Call.CONNECT ? new ConnectException("Connection timed out")
                        : new SocketException("Connection timed out");
            case EHOSTUNREACH:
                return new NoRouteToHostException("No route to host");
            case ENETUNREACH:
                return new SocketException("Network is unreachable");
            case EADDRINUSE:
                return new BindException("Address already in use");
            case EADDRNOTAVAIL:
                return new BindException("Cannot assign requested address");
            case EACCES:
                return call == Call.BIND ? new BindException("Permission denied")
                        : new SocketException("Permission denied");
            case ECONNRESET:
                return new SocketException("Connection reset");
            case EPIPE:
                return new SocketException("Broken pipe");
            case EBADF:
                return new SocketException("Socket closed");
            case EINTR:
                return new InterruptedIOException("Interrupted");
            case EWOULDBLOCK:
                switch (call) {
                    case READ:
                        return new SocketTimeoutException("Read timed out");
                    case ACCEPT:
                        return new SocketTimeoutException("Accept timed out");
                    case RECEIVE:
                        return new SocketTimeoutException("Receive timed out");
                    case CONNECT:
                        return new SocketTimeoutException("Connect timed out");
                    default:
                        return new SocketException(errno.message());
                }
            case ENETDOWN:
                return new SocketException("Network is down");
            default:
                return new SocketException(errno.message());
        }
    }
}
