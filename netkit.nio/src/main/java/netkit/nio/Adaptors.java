package netkit.nio;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.NetworkChannel;

/**
 * What the {@code socket()} adaptors of the stream channels share: options through the channel with
 * the {@link java.net.Socket}/{@link java.net.ServerSocket} exceptions, their argument checks, and the
 * local address.
 */
final class Adaptors {
    private Adaptors() {
    }

    /** Sets {@code name} on {@code ch}; an I/O error is a SocketException, as the socket classes throw. */
    static <T> void set(NetworkChannel ch, SocketOption<T> name, T value) throws SocketException {
        try {
            ch.setOption(name, value);
        } catch (IOException e) {
            throw e instanceof SocketException se ? se : new SocketException(e.getMessage());
        }
    }

    /** Reads {@code name} of {@code ch}; an I/O error is a SocketException. */
    static <T> T get(NetworkChannel ch, SocketOption<T> name) throws SocketException {
        try {
            return ch.getOption(name);
        } catch (IOException e) {
            throw e instanceof SocketException se ? se : new SocketException(e.getMessage());
        }
    }

    /** {@code setSendBufferSize}/{@code setReceiveBufferSize}: a size must be positive. */
    static int bufferSize(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size <= 0");
        }
        return size;
    }

    /** {@code setSoTimeout}: a timeout must not be negative. */
    static int timeout(int timeout) {
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout < 0");
        }
        return timeout;
    }

    /** The channel's local address, null when closed or unbound (or unreadable). */
    static SocketAddress localAddress(NetworkChannel ch) {
        try {
            return ch.isOpen() ? ch.getLocalAddress() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
