package netkit.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

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
import netkit.compat.SocketErrors.Call;
import org.junit.jupiter.api.Test;

/** The errno to exception table, including the call-dependent rows no two-host scenario reaches cheaply. */
class SocketErrorsTest {
    private static void maps(Errno errno, Call call, Class<? extends IOException> type, String message) {
        ErrnoException cause = new ErrnoException(errno);
        IOException e = SocketErrors.map(cause, call);
        assertEquals(type, e.getClass(), errno + " on " + call);
        assertEquals(message, e.getMessage(), errno + " on " + call);
        assertSame(cause, e.getCause(), "the errno stays visible as the cause");
    }

    @Test
    void theJdksClassesAndMessages() {
        maps(Errno.ECONNREFUSED, Call.CONNECT, ConnectException.class, "Connection refused");
        maps(Errno.ECONNREFUSED, Call.RECEIVE, PortUnreachableException.class, null);
        maps(Errno.ECONNREFUSED, Call.SEND, PortUnreachableException.class, null);
        maps(Errno.ETIMEDOUT, Call.CONNECT, ConnectException.class, "Connection timed out");
        maps(Errno.ETIMEDOUT, Call.READ, SocketException.class, "Connection timed out");
        maps(Errno.ETIMEDOUT, Call.RECEIVE, SocketTimeoutException.class, "Receive timed out");
        maps(Errno.EHOSTUNREACH, Call.CONNECT, NoRouteToHostException.class, "No route to host");
        maps(Errno.ENETUNREACH, Call.CONNECT, SocketException.class, "Network is unreachable");
        maps(Errno.EADDRINUSE, Call.BIND, BindException.class, "Address already in use");
        maps(Errno.EADDRNOTAVAIL, Call.BIND, BindException.class, "Cannot assign requested address");
        maps(Errno.EACCES, Call.BIND, BindException.class, "Permission denied");
        maps(Errno.EACCES, Call.SEND, SocketException.class, "Permission denied");
        maps(Errno.ECONNRESET, Call.READ, SocketException.class, "Connection reset");
        maps(Errno.ECONNRESET, Call.WRITE, SocketException.class, "Connection reset");
        maps(Errno.EPIPE, Call.WRITE, SocketException.class, "Broken pipe");
        maps(Errno.EBADF, Call.READ, SocketException.class, "Socket closed");
        maps(Errno.EINTR, Call.READ, InterruptedIOException.class, "Interrupted");
        maps(Errno.EWOULDBLOCK, Call.READ, SocketTimeoutException.class, "Read timed out");
        maps(Errno.EWOULDBLOCK, Call.ACCEPT, SocketTimeoutException.class, "Accept timed out");
        maps(Errno.EWOULDBLOCK, Call.RECEIVE, SocketTimeoutException.class, "Receive timed out");
        maps(Errno.EMFILE, Call.CREATE, SocketException.class, "Too many open sockets");
        maps(Errno.EPROTONOSUPPORT, Call.CREATE, SocketException.class, "Protocol not supported");
    }
}
