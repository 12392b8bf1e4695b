package netkit.nio;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;

/** {@link ServerSocketChannel#socket()} of a netkit listener: every call is the channel's. */
final class NetkitServerSocketAdaptor extends ServerSocket {
    private final NetkitServerSocketChannel ch;
    private volatile int timeoutMillis;

    private NetkitServerSocketAdaptor(NetkitServerSocketChannel ch) throws IOException {
        super(new NoSocketImpl());
        this.ch = ch;
    }

    static NetkitServerSocketAdaptor of(NetkitServerSocketChannel ch) {
        try {
            return new NetkitServerSocketAdaptor(ch);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public ServerSocketChannel getChannel() {
        return ch;
    }

    @Override
    public void bind(SocketAddress endpoint) throws IOException {
        ch.bind(endpoint, 50);
    }

    @Override
    public void bind(SocketAddress endpoint, int backlog) throws IOException {
        ch.bind(endpoint, backlog);
    }

    @Override
    public Socket accept() throws IOException {
        if (!ch.isBlocking()) {
            throw new java.nio.channels.IllegalBlockingModeException();
        }
        return ch.accept().socket();
    }

    @Override
    public InetAddress getInetAddress() {
        SocketAddress a = getLocalSocketAddress();
        return a == null ? null : ((InetSocketAddress) a).getAddress();
    }

    @Override
    public int getLocalPort() {
        SocketAddress a = getLocalSocketAddress();
        return a == null ? -1 : ((InetSocketAddress) a).getPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return Adaptors.localAddress(ch);
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        timeoutMillis = Adaptors.timeout(timeout);
    }

    @Override
    public int getSoTimeout() {
        return timeoutMillis;
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        Adaptors.set(ch, StandardSocketOptions.SO_REUSEADDR, on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return Adaptors.get(ch, StandardSocketOptions.SO_REUSEADDR);
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        Adaptors.set(ch, StandardSocketOptions.SO_RCVBUF, Adaptors.bufferSize(size));
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return Adaptors.get(ch, StandardSocketOptions.SO_RCVBUF);
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }

    @Override
    public boolean isBound() {
        return ch.isBound();
    }

    @Override
    public boolean isClosed() {
        return !ch.isOpen();
    }

    @Override
    public <T> ServerSocket setOption(java.net.SocketOption<T> name, T value) throws IOException {
        ch.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(java.net.SocketOption<T> name) throws IOException {
        return ch.getOption(name);
    }

    @Override
    public java.util.Set<java.net.SocketOption<?>> supportedOptions() {
        return ch.supportedOptions();
    }

    @Override
    public String toString() {
        return "NetkitServerSocketAdaptor[" + ch + "]";
    }
}
