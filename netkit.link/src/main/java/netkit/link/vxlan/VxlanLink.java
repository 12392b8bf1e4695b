package netkit.link.vxlan;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import netkit.api.buffer.PacketBuffer;
import netkit.api.buffer.PacketPool;
import netkit.api.spi.link.LinkReceiver;
import netkit.api.spi.support.EthernetLink;
import netkit.api.wire.Bytes;
import netkit.api.wire.MacAddress;

/**
 * An Ethernet link carried in UDP (VXLAN, RFC 7348) over the host's own network with plain
 * {@link DatagramChannel}s: no privileges, no native code. One socket, bound to the local address
 * and port, receives from any source port; frames leave from a source port chosen by a hash of
 * their inner flow ({@link SourcePorts}) to the destination port of the VTEP: the port configured
 * for it in {@code remote}/{@code flood}, else {@code dstport} (RFC 7348 §5; never the source port
 * a VTEP sent from, which Linux picks per flow). Frames to a learned MAC go to the VTEP it was last
 * seen behind; others go to the remote and flood VTEPs. Received datagrams are checked strictly
 * (flags, reserved bytes, VNI); the bad ones are counted and reported to the receiver as discarded
 * (an rx error of the interface).
 */
final class VxlanLink extends EthernetLink {
    private static final System.Logger LOG = netkit.api.spi.support.NetkitLog.logger(VxlanLink.class);
    /** VXLAN header length. */
    static final int HEADER = 8;
    /**
     * Source MACs learned at most (a remote sender choosing a fresh source MAC per datagram must not
     * grow the table without end); beyond it new MACs are not learned and frames to them are flooded.
     */
    static final int LEARNED_MAX = 4096;
    /** How long a bind is retried while the port is still held (a socket being closed). */
    private static final long BIND_RETRY_NANOS = 1_000_000_000L;
    /** How long {@link #close()} waits for the reader thread to let go of the socket. */
    private static final long CLOSE_WAIT_MILLIS = 2000;

    /**
     * What a VXLAN link is configured with.
     *
     * @param local    address and port to bind and receive on
     * @param flood    the VTEPs (address and destination port) that get broadcast and unknown frames
     * @param vni      the VXLAN network identifier
     * @param dstPort  destination port of learned VTEPs that are not in {@code flood}
     * @param srcMin   lowest outer source port
     * @param srcMax   one above the highest outer source port ({@code srcMin} when only it is used)
     */
    record Settings(InetSocketAddress local, List<InetSocketAddress> flood, int vni, int dstPort, int srcMin,
            int srcMax, int receiveBuffer) {
    }

    private final DatagramChannel channel;
    private final InetSocketAddress localAddress;
    private final SourcePorts sourcePorts;
    private final int vni;
    private final int dstPort;
    private final List<InetSocketAddress> flood;
    private final Map<InetAddress, Integer> floodPorts = new HashMap<>();
    private final LinkReceiver receiver;
    private final Map<Long, InetSocketAddress> learned = new ConcurrentHashMap<>();
    private final PacketPool pool;
    private final Thread reader;
    private volatile boolean closed;
    final AtomicLong badHeaders = new AtomicLong();
    final AtomicLong wrongVni = new AtomicLong();
    final AtomicLong sendErrors = new AtomicLong();

    VxlanLink(Settings s, long mac, int mtu, LinkReceiver receiver, PacketPool pool) throws IOException {
        super(VxlanDriver.NAME, mac, mtu);
        ProtocolFamily family = s.local().getAddress() instanceof Inet4Address ? StandardProtocolFamily.INET
                : StandardProtocolFamily.INET6;
        this.channel = bind(family, s.local(), s.receiveBuffer());
        this.localAddress = (InetSocketAddress) channel.getLocalAddress();
        int granted = receiveBufferBytes();
        if (s.receiveBuffer() > 0 && granted < s.receiveBuffer()) {
            LOG.log(System.Logger.Level.INFO, "vxlan {0}: the host gave the receive socket {1} bytes of buffer, "
                    + "{2} were asked (Linux caps it at net.core.rmem_max)", localAddress, granted, s.receiveBuffer());
        }
        this.sourcePorts = new SourcePorts(s.local().getAddress(), family, s.srcMin(), s.srcMax(), channel,
                localAddress.getPort());
        this.vni = s.vni();
        this.dstPort = s.dstPort();
        this.flood = List.copyOf(s.flood());
        for (InetSocketAddress f : flood) {
            floodPorts.putIfAbsent(f.getAddress(), f.getPort());
        }
        this.receiver = receiver;
        this.pool = pool;
        this.reader = new Thread(this::read, "netkit-vxlan-" + localAddress);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Binds the receive socket. A port still held by a socket being closed (a relink) is retried
     * for up to a second; then the bind fails with the address in the message.
     */
    private static DatagramChannel bind(ProtocolFamily family, InetSocketAddress local, int receiveBuffer)
            throws IOException {
        long deadline = System.nanoTime() + BIND_RETRY_NANOS;
        while (true) {
            DatagramChannel c = DatagramChannel.open(family);
            try {
                if (receiveBuffer > 0) {
                    c.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
                }
                c.bind(local);
                return c;
            } catch (BindException e) {
                c.close();
                if (System.nanoTime() - deadline >= 0) {
                    throw new BindException("cannot bind " + local.getAddress().getHostAddress() + ":"
                            + local.getPort() + ": " + e.getMessage());
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            } catch (IOException | RuntimeException e) {
                c.close();
                throw e;
            }
        }
    }

    /**
     * The receive socket's buffer the host granted ({@code SO_RCVBUF} as the JDK reports it: on
     * Linux what was granted, not the doubled figure {@code getsockopt} shows); 0 when it cannot be read.
     */
    int receiveBufferBytes() {
        try {
            return channel.getOption(StandardSocketOptions.SO_RCVBUF);
        } catch (IOException e) {
            return 0;
        }
    }

    /** The local UDP address (with the port the system chose when 0 was asked for). */
    SocketAddress localAddress() {
        return localAddress;
    }

    /** Source MACs learned so far. */
    int learnedCount() {
        return learned.size();
    }

    /** Frames sent from the receive socket because their flow's source port could not be bound. */
    long sourcePortFallbacks() {
        return sourcePorts.fallbacks.get();
    }

    @Override
    public boolean transmit(PacketBuffer frame) {
        try {
            if (closed || frame.length() < 14 || frame.length() > mtu() + 14) {
                return false;
            }
            long dst = Bytes.get48(frame.array(), frame.offset());
            DatagramChannel from = sourcePorts.forFrame(frame.array(), frame.offset(), frame.length());
            int at = frame.prepend(HEADER);
            byte[] a = frame.array();
            a[at] = 0x08; // I flag (RFC 7348 §5): the VNI is valid
            a[at + 1] = 0;
            a[at + 2] = 0;
            a[at + 3] = 0;
            Bytes.put32(a, at + 4, vni << 8);
            ByteBuffer datagram = ByteBuffer.wrap(a, at, frame.length());
            InetSocketAddress to = MacAddress.isMulticast(dst) ? null : learned.get(dst);
            if (to != null) {
                from.send(datagram, to);
            } else {
                for (InetSocketAddress remote : flood) {
                    from.send(datagram.duplicate(), remote);
                }
            }
            return true;
        } catch (IOException e) {
            sendErrors.incrementAndGet();
            return false;
        } finally {
            frame.release();
        }
    }

    private void read() {
        ByteBuffer buf = ByteBuffer.allocate(HEADER + 14 + Math.max(mtu(), 1500) + 64);
        while (!closed) {
            try {
                buf.clear();
                SocketAddress from = channel.receive(buf);
                buf.flip();
                accept((InetSocketAddress) from, buf);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "vxlan receive failed", e);
                }
            }
        }
    }

    /**
     * RFC 7348 §5: flags must be exactly the I flag, reserved fields zero, the VNI ours. Any source
     * port is accepted (a VTEP picks it per flow); the source MAC is learned to the VTEP's address.
     */
    void accept(InetSocketAddress from, ByteBuffer d) {
        int n = d.remaining();
        if (n < HEADER + 14) {
            badHeaders.incrementAndGet();
            receiver.discarded();
            return;
        }
        int flags = d.getInt(0);
        int vniWord = d.getInt(4);
        if (flags != 0x08000000 || (vniWord & 0xff) != 0) {
            badHeaders.incrementAndGet();
            receiver.discarded();
            return;
        }
        if (vniWord >>> 8 != vni) {
            wrongVni.incrementAndGet();
            receiver.discarded();
            return;
        }
        PacketBuffer frame = pool.acquire(n - HEADER);
        int at = frame.append(n - HEADER);
        d.position(HEADER);
        d.get(frame.array(), at, n - HEADER);
        long src = Bytes.get48(frame.array(), at + 6);
        if (!MacAddress.isMulticast(src)) {
            learn(src, from.getAddress());
        }
        if (Thread.currentThread() == reader) {
            receiver.receiveOnLinkThread(frame); // an ACK may be processed here, without a hand-off
        } else {
            receiver.receive(frame);
        }
    }

    /** Which VTEP {@code mac} lives behind: its address, with its destination port. */
    private void learn(long mac, InetAddress vtep) {
        InetSocketAddress known = learned.get(mac);
        if (known != null && known.getAddress().equals(vtep)) {
            return;
        }
        if (known == null && learned.size() >= LEARNED_MAX) {
            return;
        }
        learned.put(mac, new InetSocketAddress(vtep, floodPorts.getOrDefault(vtep, dstPort)));
    }

    /**
     * Datagrams the host dropped for the receive socket (its buffer was full), read from the host
     * now; {@link #HOST_DROPS_UNKNOWN} where the host does not tell.
     */
    @Override
    public long hostDrops() {
        return HostUdpDrops.of(localAddress);
    }

    /**
     * Closes the sockets and waits (up to two seconds) for the reader thread to end: a channel closed
     * while a thread is blocked receiving on it releases its port only when that thread has left the
     * receive, so a link opened next on the same port could otherwise fail to bind.
     */
    @Override
    public void close() {
        closed = true;
        sourcePorts.close();
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        if (Thread.currentThread() != reader) {
            try {
                reader.join(CLOSE_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@code host[:port]}, the port {@code defaultPort} when absent. */
    static InetSocketAddress address(String hostPort, int defaultPort) {
        String s = hostPort.trim();
        int colon = s.lastIndexOf(':');
        String host = colon < 0 ? s : s.substring(0, colon);
        int port = colon < 0 ? defaultPort : port(s.substring(colon + 1));
        return new InetSocketAddress(host, port);
    }

    /** A UDP port 0..65535. */
    static int port(String s) {
        int p = Integer.parseInt(s.trim());
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + p);
        }
        return p;
    }
}
