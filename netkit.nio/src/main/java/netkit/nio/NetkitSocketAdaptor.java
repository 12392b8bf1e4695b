package netkit.nio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import netkit.api.SockAddr;

/**
 * {@link SocketChannel#socket()} of a netkit channel: every call is the channel's (options, addresses,
 * shutdown, close). It has no socket implementation of its own; streams are {@link Channels}' over the
 * channel (blocking mode only, as the JDK's adaptor).
 */
final class NetkitSocketAdaptor extends Socket {
    private final NetkitSocketChannel ch;
    private volatile int timeoutMillis;

    private NetkitSocketAdaptor(NetkitSocketChannel ch) throws SocketException {
        super(new NoSocketImpl());
        this.ch = ch;
    }

    static NetkitSocketAdaptor of(NetkitSocketChannel ch) {
        try {
            return new NetkitSocketAdaptor(ch);
        } catch (SocketException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public SocketChannel getChannel() {
        return ch;
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        ch.connect(endpoint);
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        ch.connect(endpoint);
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        ch.bind(local);
    }

    @Override
    public InetAddress getInetAddress() {
        SockAddr r = ch.remote();
        return ch.isConnected() && r != null ? SockAddr.inetAddress(r.address()) : null;
    }

    @Override
    public int getPort() {
        SockAddr r = ch.remote();
        return ch.isConnected() && r != null ? r.port() : 0;
    }

    @Override
    public InetAddress getLocalAddress() {
        SocketAddress a = local();
        return a == null ? SockAddr.inetAddress(0) : ((java.net.InetSocketAddress) a).getAddress();
    }

    @Override
    public int getLocalPort() {
        SocketAddress a = local();
        return a == null ? -1 : ((java.net.InetSocketAddress) a).getPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        try {
            return ch.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return local();
    }

    private SocketAddress local() {
        return Adaptors.localAddress(ch);
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return Channels.newInputStream(ch);
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return Channels.newOutputStream(ch);
    }

    private <T> void set(java.net.SocketOption<T> name, T value) throws SocketException {
        Adaptors.set(ch, name, value);
    }

    private <T> T get(java.net.SocketOption<T> name) throws SocketException {
        return Adaptors.get(ch, name);
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        set(StandardSocketOptions.TCP_NODELAY, on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return get(StandardSocketOptions.TCP_NODELAY);
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        set(StandardSocketOptions.SO_LINGER, on ? Math.max(0, linger) : -1);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return get(StandardSocketOptions.SO_LINGER);
    }

    @Override
    public void sendUrgentData(int data) throws IOException {
        ChannelSocket s = ch.netkitSocket();
        try {
            s.sockets.send(s.token, new byte[] {(byte) data}, 0, 1, netkit.api.Net.MSG_OOB); // one urgent byte
        } catch (netkit.api.ErrnoException e) {
            throw Errors.io(e);
        }
    }

    @Override
    public void setOOBInline(boolean on) throws SocketException {
        ch.netkitSocket().setRaw(netkit.api.Net.SOL_SOCKET, netkit.api.Net.SO_OOBINLINE, on ? 1 : 0);
    }

    @Override
    public boolean getOOBInline() throws SocketException {
        return ch.netkitSocket().getRaw(netkit.api.Net.SOL_SOCKET, netkit.api.Net.SO_OOBINLINE) != 0;
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
    public void setSendBufferSize(int size) throws SocketException {
        set(StandardSocketOptions.SO_SNDBUF, Adaptors.bufferSize(size));
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return get(StandardSocketOptions.SO_SNDBUF);
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        set(StandardSocketOptions.SO_RCVBUF, Adaptors.bufferSize(size));
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return get(StandardSocketOptions.SO_RCVBUF);
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        set(StandardSocketOptions.SO_KEEPALIVE, on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return get(StandardSocketOptions.SO_KEEPALIVE);
    }

    @Override
    public void setTrafficClass(int tc) throws SocketException {
        set(StandardSocketOptions.IP_TOS, tc);
    }

    @Override
    public int getTrafficClass() throws SocketException {
        return get(StandardSocketOptions.IP_TOS);
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        set(StandardSocketOptions.SO_REUSEADDR, on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return get(StandardSocketOptions.SO_REUSEADDR);
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }

    @Override
    public void shutdownInput() throws IOException {
        ch.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        ch.shutdownOutput();
    }

    @Override
    public boolean isConnected() {
        return ch.isConnected();
    }

    @Override
    public boolean isBound() {
        return local() != null;
    }

    @Override
    public boolean isClosed() {
        return !ch.isOpen();
    }

    @Override
    public boolean isInputShutdown() {
        return ch.isInputShut();
    }

    @Override
    public boolean isOutputShutdown() {
        return ch.isOutputShut();
    }

    @Override
    public <T> Socket setOption(java.net.SocketOption<T> name, T value) throws IOException {
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
        return "NetkitSocketAdaptor[" + ch + "]";
    }
}
