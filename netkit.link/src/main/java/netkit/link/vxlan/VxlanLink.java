package netkit.link.vxlan;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import netkit.api.buffer.PacketBuffer;
import netkit.api.buffer.PacketPool;
import netkit.api.spi.support.EthernetLink;
import netkit.api.spi.link.LinkReceiver;
import netkit.api.wire.Bytes;
import netkit.api.wire.MacAddress;

/**
 * An Ethernet link carried in UDP (VXLAN, RFC 7348) over the host's own network with one
 * {@link DatagramChannel}: no privileges, no native code. Frames to a learned MAC go to the VTEP
 * it was last seen behind; others go to the static remote and the flood list. Received datagrams
 * are checked strictly (flags, reserved bytes, VNI) and the bad ones counted and dropped.
 */
final class VxlanLink extends EthernetLink {
    private static final System.Logger LOG = System.getLogger(VxlanLink.class.getName());
    /** VXLAN header length. */
    static final int HEADER = 8;

    private final DatagramChannel channel;
    private final int vni;
    private final List<SocketAddress> flood;
    private final LinkReceiver receiver;
    private final Map<Long, SocketAddress> learned = new ConcurrentHashMap<>();
    private final PacketPool pool;
    private final Thread reader;
    private volatile boolean closed;
    final AtomicLong badHeaders = new AtomicLong();
    final AtomicLong wrongVni = new AtomicLong();
    final AtomicLong sendErrors = new AtomicLong();

    VxlanLink(SocketAddress local, List<SocketAddress> flood, int vni, long mac, int mtu, LinkReceiver receiver,
            PacketPool pool) throws IOException {
        super(VxlanDriver.NAME, mac, mtu);
        this.channel = DatagramChannel.open();
        try {
            channel.bind(local);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        this.vni = vni;
        this.flood = List.copyOf(flood);
        this.receiver = receiver;
        this.pool = pool;
        this.reader = new Thread(this::read, "netkit-vxlan-" + local);
        reader.setDaemon(true);
        reader.start();
    }

    /** The local UDP address (with the port the system chose when 0 was asked for). */
    SocketAddress localAddress() throws IOException {
        return channel.getLocalAddress();
    }

    @Override
    public boolean transmit(PacketBuffer frame) {
        try {
            if (closed || frame.length() < 14 || frame.length() > mtu() + 14) {
                return false;
            }
            long dst = Bytes.get48(frame.array(), frame.offset());
            int at = frame.prepend(HEADER);
            byte[] a = frame.array();
            a[at] = 0x08; // I flag (RFC 7348 §5): the VNI is valid
            a[at + 1] = 0;
            a[at + 2] = 0;
            a[at + 3] = 0;
            Bytes.put32(a, at + 4, vni << 8);
            ByteBuffer datagram = ByteBuffer.wrap(a, at, frame.length());
            SocketAddress to = MacAddress.isMulticast(dst) ? null : learned.get(dst);
            if (to != null) {
                channel.send(datagram, to);
            } else {
                for (SocketAddress remote : flood) {
                    channel.send(datagram.duplicate(), remote);
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
                accept(from, buf);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "vxlan receive failed", e);
                }
            }
        }
    }

    /** RFC 7348 §5: flags must be exactly the I flag, reserved fields zero, the VNI ours. */
    void accept(SocketAddress from, ByteBuffer d) {
        int n = d.remaining();
        if (n < HEADER + 14) {
            badHeaders.incrementAndGet();
            return;
        }
        int flags = d.getInt(0);
        int vniWord = d.getInt(4);
        if (flags != 0x08000000 || (vniWord & 0xff) != 0) {
            badHeaders.incrementAndGet();
            return;
        }
        if (vniWord >>> 8 != vni) {
            wrongVni.incrementAndGet();
            return;
        }
        PacketBuffer frame = pool.acquire(n - HEADER);
        int at = frame.append(n - HEADER);
        d.position(HEADER);
        d.get(frame.array(), at, n - HEADER);
        long src = Bytes.get48(frame.array(), at + 6);
        if (!MacAddress.isMulticast(src)) {
            learned.put(src, from); // learn which VTEP the source MAC lives behind
        }
        receiver.receive(frame);
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    static SocketAddress address(String hostPort, int defaultPort) {
        String s = hostPort.trim();
        int colon = s.lastIndexOf(':');
        String host = colon < 0 ? s : s.substring(0, colon);
        int port = colon < 0 ? defaultPort : Integer.parseInt(s.substring(colon + 1));
        return new InetSocketAddress(host, port);
    }
}
