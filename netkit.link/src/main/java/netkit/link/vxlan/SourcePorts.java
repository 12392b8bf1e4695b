package netkit.link.vxlan;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The host UDP sockets a VXLAN link sends from, one per outer source port in use: the port is
 * {@link FlowHash#port chosen by the inner flow} within {@code [min, max)}, the socket bound to it on
 * first use. At most {@value #MAX_SOCKETS} stay open (least recently used closed first). A port that
 * cannot be bound (another socket of the host has it) sends from the link's receive socket instead,
 * counted in {@link #fallbacks}. Send-only: a VTEP sends to the destination port, which the receive
 * socket holds, so these sockets are never read and keep a minimal receive buffer.
 */
final class SourcePorts implements AutoCloseable {
    /** Bound on the sockets open at once per link. */
    static final int MAX_SOCKETS = 64;

    private final InetAddress bindAddress;
    private final ProtocolFamily family;
    private final int min;
    private final int max;
    private final DatagramChannel receiveSocket;
    private final int receivePort;
    private final Map<Integer, DatagramChannel> open = new LinkedHashMap<>(16, 0.75f, true);
    /** Frames sent from the receive socket because their port could not be bound. */
    final AtomicLong fallbacks = new AtomicLong();
    private boolean closed;

    /**
     * Source ports {@code [min, max)} bound on {@code bindAddress} (of {@code family}); the receive
     * socket, bound to {@code receivePort}, sends what would come from that port or from an unbindable one.
     */
    SourcePorts(InetAddress bindAddress, ProtocolFamily family, int min, int max, DatagramChannel receiveSocket,
            int receivePort) {
        this.bindAddress = bindAddress;
        this.family = family;
        this.min = min;
        this.max = max;
        this.receiveSocket = receiveSocket;
        this.receivePort = receivePort;
    }

    /** The socket to send the frame {@code a[off..off+len)} from. */
    synchronized DatagramChannel forFrame(byte[] a, int off, int len) {
        int port = max > min ? FlowHash.port(FlowHash.of(a, off, len), min, max) : min;
        if (port == receivePort || closed) {
            return receiveSocket;
        }
        DatagramChannel c = open.get(port);
        if (c == null) {
            c = bind(port);
            open.put(port, c);
            if (open.size() > MAX_SOCKETS) {
                Iterator<DatagramChannel> eldest = open.values().iterator();
                closeQuietly(eldest.next());
                eldest.remove();
            }
        }
        if (c == receiveSocket) {
            fallbacks.incrementAndGet();
        }
        return c;
    }

    private DatagramChannel bind(int port) {
        DatagramChannel c = null;
        try {
            c = DatagramChannel.open(family);
            c.setOption(StandardSocketOptions.SO_RCVBUF, 1024);
            c.bind(new InetSocketAddress(bindAddress, port));
            return c;
        } catch (IOException e) {
            closeQuietly(c);
            return receiveSocket; // remembered for this port, so it is not tried again while cached
        }
    }

    private void closeQuietly(DatagramChannel c) {
        if (c != null && c != receiveSocket) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        open.values().forEach(this::closeQuietly);
        open.clear();
    }
}
