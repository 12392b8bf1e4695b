package netkit.nio;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;
import netkit.api.SocketManager;
import netkit.api.time.EventLoop;

/**
 * A {@link SelectorProvider} whose channels are netkit sockets of one {@link SocketManager} (so one
 * owner's tokens and quota), for code that takes a provider: Netty's NIO transport
 * ({@code new NioEventLoopGroup(n, executor, provider)} with {@code new NioSocketChannel(provider)}),
 * or {@code provider.openSocketChannel()} by hand. The JVM-wide default provider
 * ({@code SocketChannel.open()}) stays the platform's.
 *
 * <p>Offered: {@link SocketChannel} (blocking and non-blocking, connect/finishConnect, scatter and
 * gather, shutdown, the standard TCP options, a {@code socket()} adaptor), {@link ServerSocketChannel}
 * (with its {@code socket()} adaptor), {@link DatagramChannel} (no multicast, no {@code disconnect},
 * no {@code socket()} adaptor) and a {@link java.nio.channels.Selector} that works with these only.
 * IPv4 only. Not offered: {@link #openPipe()} (netkit has no pipes; the selector wakes without one).
 * Channels of this provider cannot be registered with the platform's selectors nor the reverse
 * ({@link java.nio.channels.IllegalSelectorException}).
 */
public final class NetkitSelectorProvider extends SelectorProvider {
    private final SocketManager sockets;
    private final EventLoop clock;

    /**
     * Channels on {@code sockets}; selector timeouts run on {@code clock}, the stack's event loop (in
     * plain Java {@code stack.context().loop()}), so simulated time governs them in tests.
     */
    public NetkitSelectorProvider(SocketManager sockets, EventLoop clock) {
        this.sockets = Objects.requireNonNull(sockets, "sockets");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    SocketManager sockets() {
        return sockets;
    }

    @Override
    public DatagramChannel openDatagramChannel() throws IOException {
        return new NetkitDatagramChannel(this);
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        requireInet(family);
        return openDatagramChannel();
    }

    @Override
    public Pipe openPipe() {
        throw new UnsupportedOperationException("netkit has no pipes");
    }

    @Override
    public AbstractSelector openSelector() {
        return new NetkitSelector(this, sockets, clock);
    }

    @Override
    public ServerSocketChannel openServerSocketChannel() throws IOException {
        return new NetkitServerSocketChannel(this);
    }

    @Override
    public SocketChannel openSocketChannel() throws IOException {
        return new NetkitSocketChannel(this);
    }

    @Override
    public SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
        requireInet(family);
        return openSocketChannel();
    }

    @Override
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        requireInet(family);
        return openServerSocketChannel();
    }

    private static void requireInet(ProtocolFamily family) {
        if (family != StandardProtocolFamily.INET) {
            throw new UnsupportedOperationException("netkit is IPv4 only: " + family);
        }
    }

    @Override
    public String toString() {
        return "NetkitSelectorProvider[" + sockets + "]";
    }
}
