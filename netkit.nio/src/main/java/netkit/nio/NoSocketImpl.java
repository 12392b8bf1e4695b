package netkit.nio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;

/**
 * The socket implementation of the adaptors: none. Every call the adaptors do not override fails,
 * so nothing reaches the platform's sockets.
 */
final class NoSocketImpl extends SocketImpl {
    private static SocketException none() {
        return new SocketException("not a platform socket: a netkit channel's adaptor");
    }

    @Override
    protected void create(boolean stream) throws IOException {
        throw none();
    }

    @Override
    protected void connect(String host, int port) throws IOException {
        throw none();
    }

    @Override
    protected void connect(InetAddress address, int port) throws IOException {
        throw none();
    }

    @Override
    protected void connect(SocketAddress address, int timeout) throws IOException {
        throw none();
    }

    @Override
    protected void bind(InetAddress host, int port) throws IOException {
        throw none();
    }

    @Override
    protected void listen(int backlog) throws IOException {
        throw none();
    }

    @Override
    protected void accept(SocketImpl s) throws IOException {
        throw none();
    }

    @Override
    protected InputStream getInputStream() throws IOException {
        throw none();
    }

    @Override
    protected OutputStream getOutputStream() throws IOException {
        throw none();
    }

    @Override
    protected int available() throws IOException {
        throw none();
    }

    @Override
    protected void close() {
    }

    @Override
    protected void sendUrgentData(int data) throws IOException {
        throw none();
    }

    @Override
    public void setOption(int optID, Object value) throws SocketException {
        throw none();
    }

    @Override
    public Object getOption(int optID) throws SocketException {
        throw none();
    }
}
