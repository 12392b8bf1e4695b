package netkit.nio;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import netkit.api.ErrnoException;
import netkit.api.SockAddr;

/** The exceptions the JDK's own channels throw, for errno values; and address checks. */
final class Errors {
    private Errors() {
    }

    /** The JDK's exception for {@code e}: ConnectException, BindException, "Connection reset"... */
    static IOException io(ErrnoException e) {
        IOException io = switch (e.errno()) {
            case ECONNREFUSED -> new ConnectException("Connection refused");
            case ETIMEDOUT -> new ConnectException("Connection timed out");
            case ENETUNREACH, EHOSTUNREACH -> new NoRouteToHostException("No route to host");
            case EADDRINUSE -> new BindException("Address already in use");
            case EADDRNOTAVAIL -> new BindException("Cannot assign requested address");
            case ECONNRESET -> new SocketException("Connection reset");
            case EPIPE -> new IOException("Broken pipe");
            case EBADF -> new ClosedChannelException();
            default -> new SocketException(e.getMessage());
        };
        io.initCause(e);
        return io;
    }

    /** A netkit address for a Java one, with the JDK's checks: null is the wildcard when {@code nullIsAny}. */
    static SockAddr address(SocketAddress a, boolean nullIsAny) {
        if (a == null && nullIsAny) {
            return SockAddr.ANY;
        }
        if (!(a instanceof InetSocketAddress isa)) {
            throw a == null ? new IllegalArgumentException("null address") : new UnsupportedAddressTypeException();
        }
        if (isa.isUnresolved()) {
            throw new UnresolvedAddressException();
        }
        try {
            return SockAddr.of(isa);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedAddressTypeException(); // IPv6
        }
    }
}
