package netkit.link.vxlan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import netkit.api.buffer.PacketBuffer;
import netkit.api.buffer.PacketPool;
import netkit.api.spi.impair.FaultInjectingLink;
import netkit.api.spi.link.LinkConfig;
import netkit.api.time.SimulatedLoop;
import netkit.api.wire.Bytes;
import netkit.api.wire.EthernetFrame;
import org.junit.jupiter.api.Test;

/** The VXLAN link (plain and impaired) against a plain UDP socket on 127.0.0.1 playing the remote VTEP. */
class VxlanLinkTest {
    private final PacketPool pool = PacketPool.forEthernet();
    private static ByteBuffer datagram(int flags, int vni, int reserved, long dstMac) {
        ByteBuffer b = ByteBuffer.allocate(8 + 60);
        b.putInt(flags).putInt(vni << 8 | reserved);
        byte[] frame = new byte[60];
        EthernetFrame.emit(frame, 0, dstMac, 0x02000000beefL, 0x88b5);
        b.put(frame).flip();
        return b;
    }

    @Test
    void validatesHeadersLearnsAndSends() throws Exception {
        try (DatagramChannel peer = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            int peerPort = ((InetSocketAddress) peer.getLocalAddress()).getPort();
            LinkedBlockingQueue<PacketBuffer> got = new LinkedBlockingQueue<>();
            VxlanLink link = (VxlanLink) new VxlanDriver().open(new LinkConfig("vx0", 0, 0x020000000001L,
                    Map.of("local", "127.0.0.1:0", "remote", "127.0.0.1:" + peerPort, "vni", "42"), pool), got::add);
            try {
                assertEquals(1450, link.mtu());
                InetSocketAddress to = (InetSocketAddress) link.localAddress();
                peer.send(datagram(0x08000000, 42, 0, 0x020000000001L), to);
                peer.send(datagram(0x0c000000, 42, 0, 0x020000000001L), to); // an extra flag bit
                peer.send(datagram(0x08000000, 42, 1, 0x020000000001L), to); // reserved byte set
                peer.send(datagram(0x08000000, 43, 0, 0x020000000001L), to); // another VNI
                peer.send(ByteBuffer.wrap(new byte[10]), to); // truncated
                PacketBuffer f = got.poll(5, TimeUnit.SECONDS);
                assertEquals(60, f.length(), "the inner frame, without the VXLAN header");
                assertEquals(0x02000000beefL, Bytes.get48(f.array(), f.offset() + 6));
                Thread.sleep(200);
                assertEquals(0, got.size(), "the malformed ones were dropped");
                assertEquals(3, link.badHeaders.get());
                assertEquals(1, link.wrongVni.get());
                // Sending: to the learned VTEP, with the RFC 7348 header.
                PacketBuffer out = PacketBuffer.allocate(64, 60);
                int at = out.append(60);
                EthernetFrame.emit(out.array(), at, 0x02000000beefL, link.mac(), 0x0800);
                assertTrue(link.transmit(out));
                ByteBuffer rx = ByteBuffer.allocate(200);
                peer.receive(rx);
                rx.flip();
                assertEquals(68, rx.remaining());
                assertEquals(0x08000000, rx.getInt(0));
                assertEquals(42 << 8, rx.getInt(4));
            } finally {
                link.close();
            }
        }
    }

    @Test
    void impairedInBothDirectionsThroughTheDecorator() throws Exception {
        try (DatagramChannel peer = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            int peerPort = ((InetSocketAddress) peer.getLocalAddress()).getPort();
            LinkedBlockingQueue<PacketBuffer> got = new LinkedBlockingQueue<>();
            FaultInjectingLink link = (FaultInjectingLink) FaultInjectingLink.open(new VxlanDriver(),
                    new LinkConfig("vx0", 0, 0x020000000001L, Map.of("local", "127.0.0.1:0", "remote",
                            "127.0.0.1:" + peerPort, "loss", "50%", "seed", "4", "direction", "both"), pool),
                    got::add, new SimulatedLoop(), 0);
            try {
                for (int i = 0; i < 100; i++) {
                    PacketBuffer out = PacketBuffer.allocate(64, 60);
                    EthernetFrame.emit(out.array(), out.append(60), 0x02000000beefL, link.mac(), 0x0800);
                    assertTrue(link.transmit(out));
                }
                long sentLost = link.counters().lost();
                assertTrue(sentLost > 30 && sentLost < 70, "about half lost on the way out: " + sentLost);
                peer.configureBlocking(false);
                int arrived = 0;
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (arrived < 100 - sentLost && System.nanoTime() < deadline) {
                    arrived += peer.receive(ByteBuffer.allocate(200)) != null ? 1 : 0;
                }
                assertEquals(100 - sentLost, arrived, "what was not lost reached the remote VTEP");
                InetSocketAddress to = (InetSocketAddress) ((VxlanLink) link.inner()).localAddress();
                for (int i = 0; i < 100; i++) {
                    peer.send(datagram(0x08000000, 42, 0, 0x020000000001L), to);
                }
                deadline = System.nanoTime() + 5_000_000_000L;
                while (got.size() + link.counters().lost() - sentLost < 100 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                long receivedLost = link.counters().lost() - sentLost;
                assertTrue(receivedLost > 30 && receivedLost < 70, "about half lost on the way in: " + receivedLost);
                assertEquals(100 - receivedLost, got.size());
            } finally {
                link.close();
            }
        }
    }

    /** An inner Ethernet/IPv4/TCP frame of the flow {@code srcPort} to port 80. */
    private static PacketBuffer tcpFrame(long dstMac, long srcMac, int srcPort) {
        PacketBuffer out = PacketBuffer.allocate(64, 60);
        int at = out.append(60);
        byte[] a = out.array();
        EthernetFrame.emit(a, at, dstMac, srcMac, 0x0800);
        a[at + 14] = 0x45;
        a[at + 14 + 9] = 6;
        Bytes.put32(a, at + 14 + 12, 0xc0a84d01);
        Bytes.put32(a, at + 14 + 16, 0xc0a84d02);
        Bytes.put16(a, at + 34, srcPort);
        Bytes.put16(a, at + 36, 80);
        return out;
    }

    /** The source port of the next datagram {@code c} receives; fails after 5 s without one. */
    private static int receiveFrom(DatagramChannel c) throws IOException, InterruptedException {
        c.configureBlocking(false);
        ByteBuffer rx = ByteBuffer.allocate(200);
        long deadline = System.nanoTime() + 5_000_000_000L;
        for (SocketAddress from; System.nanoTime() < deadline; Thread.sleep(2)) {
            if ((from = c.receive(rx)) != null) {
                return ((InetSocketAddress) from).getPort();
            }
        }
        throw new AssertionError("nothing arrived within 5 s");
    }

    /**
     * RFC 7348 §5 and Linux: a remote VTEP sends from flow-hashed source ports and listens on its
     * destination port only, so replies go to that port, never back to the source port a frame came from.
     */
    @Test
    void sendsToTheVtepsDestinationPortNeverToTheSourcePortItSentFrom() throws Exception {
        try (DatagramChannel vtep = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                DatagramChannel vtepTx = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            int vtepPort = ((InetSocketAddress) vtep.getLocalAddress()).getPort();
            LinkedBlockingQueue<PacketBuffer> got = new LinkedBlockingQueue<>();
            VxlanLink link = (VxlanLink) new VxlanDriver().open(new LinkConfig("vx0", 0, 0x020000000001L,
                    Map.of("local", "127.0.0.1:0", "remote", "127.0.0.1:" + vtepPort), pool), got::add);
            try {
                InetSocketAddress to = (InetSocketAddress) link.localAddress();
                vtepTx.send(datagram(0x08000000, 42, 0, 0x020000000001L), to); // from another port of the VTEP
                got.poll(5, TimeUnit.SECONDS).release();
                assertTrue(link.transmit(tcpFrame(0x02000000beefL, link.mac(), 1000)));
                vtep.configureBlocking(false);
                vtepTx.configureBlocking(false);
                long deadline = System.nanoTime() + 5_000_000_000L;
                ByteBuffer rx = ByteBuffer.allocate(200);
                while (vtep.receive(rx) == null && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertEquals(68, rx.position(), "the frame to the learned MAC reached the VTEP's destination port");
                assertEquals(null, vtepTx.receive(ByteBuffer.allocate(200)), "nothing went to its source port");
            } finally {
                link.close();
            }
        }
    }

    /** A VTEP learned from a datagram but not configured gets the link's {@code dstport}. */
    @Test
    void aLearnedVtepGetsTheConfiguredDestinationPort() throws Exception {
        try (DatagramChannel vtep = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                DatagramChannel vtepTx = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            int vtepPort = ((InetSocketAddress) vtep.getLocalAddress()).getPort();
            LinkedBlockingQueue<PacketBuffer> got = new LinkedBlockingQueue<>();
            VxlanLink link = (VxlanLink) new VxlanDriver().open(new LinkConfig("vx0", 0, 0x020000000001L,
                    Map.of("local", "127.0.0.1:0", "dstport", Integer.toString(vtepPort)), pool), got::add);
            try {
                vtepTx.send(datagram(0x08000000, 42, 0, 0x020000000001L), link.localAddress());
                got.poll(5, TimeUnit.SECONDS).release();
                assertTrue(link.transmit(tcpFrame(0x02000000beefL, link.mac(), 1000)));
                receiveFrom(vtep);
            } finally {
                link.close();
            }
        }
    }

    /**
     * Like Linux's udp_flow_src_port: the outer source port is a hash of the inner flow, within the
     * configured range, the same for every frame of one flow and spread over the range by many flows.
     */
    @Test
    void theSourcePortIsAFlowHashWithinTheRange() throws Exception {
        try (DatagramChannel vtep = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            int vtepPort = ((InetSocketAddress) vtep.getLocalAddress()).getPort();
            VxlanLink link = (VxlanLink) new VxlanDriver().open(new LinkConfig("vx0", 0, 0x020000000001L,
                    Map.of("local", "127.0.0.1:0", "remote", "127.0.0.1:" + vtepPort, "srcport", "47100-47164"), pool),
                    f -> { });
            try {
                java.util.Set<Integer> ports = new java.util.HashSet<>();
                for (int flow = 0; flow < 16; flow++) {
                    int first = -1;
                    for (int i = 0; i < 3; i++) {
                        assertTrue(link.transmit(tcpFrame(0x02000000beefL, link.mac(), 1000 + flow)));
                        int port = receiveFrom(vtep);
                        assertTrue(port >= 47100 && port < 47164, "in the range: " + port);
                        assertTrue(first < 0 || port == first, "one flow, one source port");
                        first = port;
                    }
                    ports.add(first);
                }
                assertTrue(ports.size() >= 8, "16 flows spread over the range: " + ports);
            } finally {
                link.close();
            }
        }
    }

    /**
     * A relink closes the old link and at once binds the same port again. Closing a channel while its
     * reader is blocked in receive frees the port only when that thread leaves the receive: the new
     * bind must still succeed every time, and traffic flow both ways on each new link.
     */
    @Test
    void reopeningOnTheSamePortRightAfterClosingAlwaysBindsAndCarriesTraffic() throws Exception {
        int port;
        try (DatagramChannel probe = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        try (DatagramChannel vtep = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            int vtepPort = ((InetSocketAddress) vtep.getLocalAddress()).getPort();
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", port);
            for (int i = 0; i < 40; i++) {
                LinkedBlockingQueue<PacketBuffer> got = new LinkedBlockingQueue<>();
                VxlanLink link = (VxlanLink) new VxlanDriver().open(new LinkConfig("vx0", 0, 0x020000000001L,
                        Map.of("local", "127.0.0.1:" + port, "remote", "127.0.0.1:" + vtepPort), pool), got::add);
                try {
                    vtep.send(datagram(0x08000000, 42, 0, 0x020000000001L), to);
                    PacketBuffer f = got.poll(5, TimeUnit.SECONDS);
                    assertTrue(f != null, "relink " + i + ": received");
                    f.release();
                    assertTrue(link.transmit(tcpFrame(0x02000000beefL, link.mac(), 1000)));
                    receiveFrom(vtep);
                } finally {
                    link.close();
                }
            }
        }
    }

    /**
     * Datagrams the host drops because the link's socket buffer is full (the reader is stuck) show in
     * {@link VxlanLink#hostDrops()}, read from /proc/net/udp.
     */
    @Test
    void hostDropsCountWhatAFullSocketBufferRefused() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isReadable(java.nio.file.Path.of(
                "/proc/net/udp")), "the host does not tell socket drops here");
        java.util.concurrent.CountDownLatch stuck = new java.util.concurrent.CountDownLatch(1);
        VxlanLink link = (VxlanLink) new VxlanDriver().open(new LinkConfig("vx0", 0, 0x020000000001L,
                Map.of("local", "127.0.0.1:0"), pool), f -> {
                    f.release();
                    try {
                        stuck.await(); // the loop is not draining: the reader stops reading
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
        try (DatagramChannel vtep = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            assertEquals(0, link.hostDrops());
            ByteBuffer big = ByteBuffer.allocate(1400);
            big.putInt(0x08000000).putInt(42 << 8);
            for (int i = 0; i < 5000; i++) {
                vtep.send(big.clear(), link.localAddress());
            }
            long drops = link.hostDrops();
            assertTrue(drops > 0 && drops < 5000, "the host dropped what did not fit: " + drops);
        } finally {
            stuck.countDown();
            link.close();
        }
    }

    @Test
    void hostDropsAreFoundByLocalAddressAndPort() {
        java.util.List<String> lines = java.util.List.of(
                "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops",
                "  231: 0100007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 1234 2 0000000000000000 0",
                " 1220: 0100C80A:12B5 00000000:0000 07 00000000:00034000 00:00000000 00000000     0        0 5678 2 0000000000000000 517");
        boolean little = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;
        byte[] addr = little ? new byte[] {10, (byte) 200, 0, 1} : new byte[] {1, 0, (byte) 200, 10};
        assertEquals(517, HostUdpDrops.of(lines, addr, 4789));
        assertEquals(netkit.api.spi.link.Link.HOST_DROPS_UNKNOWN, HostUdpDrops.of(lines, addr, 4790),
                "not found: the host does not tell");
    }

    /** A sender with a fresh source MAC per datagram fills the learned table to its bound, no further. */
    @Test
    void theLearnedTableIsBounded() throws Exception {
        VxlanLink link = (VxlanLink) new VxlanDriver().open(new LinkConfig("vx0", 0, 0x020000000001L,
                Map.of("local", "127.0.0.1:0"), pool), PacketBuffer::release);
        try {
            InetSocketAddress from = new InetSocketAddress("127.0.0.2", 40000);
            for (int i = 0; i < VxlanLink.LEARNED_MAX + 1000; i++) {
                ByteBuffer d = datagram(0x08000000, 42, 0, 0x020000000001L);
                d.putInt(8 + 8, 0x0200_0000 | i); // the low four bytes of the source MAC
                link.accept(from, d);
            }
            assertEquals(VxlanLink.LEARNED_MAX, link.learnedCount());
        } finally {
            link.close();
        }
    }

    @Test
    void badParametersAreRefused() {
        assertThrows(IOException.class, () -> new VxlanDriver().open(new LinkConfig("vx0", 0, 0,
                Map.of("local", "127.0.0.1:0", "vni", "99999999"), pool), f -> { }));
        assertThrows(IOException.class, () -> new VxlanDriver().open(new LinkConfig("vx0", 0, 0,
                Map.of("local", "127.0.0.1:notaport"), pool), f -> { }));
        assertThrows(IOException.class, () -> new VxlanDriver().open(new LinkConfig("vx0", 0, 0,
                Map.of("local", "127.0.0.1:0", "srcport", "5000-4000"), pool), f -> { }));
        assertThrows(IOException.class, () -> new VxlanDriver().open(new LinkConfig("vx0", 0, 0,
                Map.of("local", "127.0.0.1:0", "dstport", "70000"), pool), f -> { }));
        assertThrows(IOException.class, () -> new VxlanDriver().open(new LinkConfig("vx0", 0, 0,
                Map.of("local", "127.0.0.1:0", "rcvbuf", "-1"), pool), f -> { }));
        assertThrows(IOException.class, () -> new VxlanDriver().open(new LinkConfig("vx0", 0, 0,
                Map.of("local", "127.0.0.1:0", "rcvbuf", "lots"), pool), f -> { }));
    }

    /**
     * The receive socket asks the host for {@code rcvbuf} bytes (4 MiB by default): Linux grants up to
     * {@code net.core.rmem_max} (the JDK reports what was granted, not Linux's doubled figure); 0
     * leaves the host's default.
     */
    @Test
    void theReceiveSocketAsksTheHostForItsBuffer() throws Exception {
        java.nio.file.Path max = java.nio.file.Path.of("/proc/sys/net/core/rmem_max");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isReadable(max),
                "not Linux: how the host grants SO_RCVBUF is its own");
        long rmemMax = Long.parseLong(java.nio.file.Files.readAllLines(max).get(0).trim());
        long rmemDefault = Long.parseLong(java.nio.file.Files.readAllLines(
                java.nio.file.Path.of("/proc/sys/net/core/rmem_default")).get(0).trim());
        for (String asked : new String[] {null, "1048576", "0"}) {
            Map<String, String> params = asked == null ? Map.of("local", "127.0.0.1:0")
                    : Map.of("local", "127.0.0.1:0", "rcvbuf", asked);
            VxlanLink link = (VxlanLink) new VxlanDriver().open(new LinkConfig("vx0", 0, 0x020000000001L, params, pool),
                    PacketBuffer::release);
            try {
                long want = asked == null ? VxlanDriver.DEFAULT_RECEIVE_BUFFER : Long.parseLong(asked);
                // the JDK halves what Linux getsockopt reports: twice the grant after a setsockopt,
                // rmem_default itself without one
                long expected = want == 0 ? rmemDefault / 2 : Math.min(want, rmemMax);
                assertEquals(expected, link.receiveBufferBytes(), "rcvbuf " + asked + " (rmem_max " + rmemMax + ")");
            } finally {
                link.close();
            }
        }
    }

    @Test
    void discardedDatagramsAreReportedToTheReceiver() throws Exception {
        java.util.concurrent.atomic.AtomicInteger discarded = new java.util.concurrent.atomic.AtomicInteger();
        LinkedBlockingQueue<PacketBuffer> got = new LinkedBlockingQueue<>();
        netkit.api.spi.link.LinkReceiver receiver = new netkit.api.spi.link.LinkReceiver() {
            @Override
            public void receive(PacketBuffer frame) {
                got.add(frame);
            }

            @Override
            public void discarded() {
                discarded.incrementAndGet();
            }
        };
        VxlanLink link = (VxlanLink) new VxlanDriver().open(new LinkConfig("vx0", 0, 0x020000000001L,
                Map.of("local", "127.0.0.1:0", "remote", "127.0.0.1:9", "vni", "42"), pool), receiver);
        try {
            InetSocketAddress from = new InetSocketAddress("127.0.0.1", 4789);
            link.accept(from, datagram(0x08000000, 42, 0, 0x020000000001L));
            link.accept(from, datagram(0x0c000000, 42, 0, 0x020000000001L)); // an extra flag bit
            link.accept(from, datagram(0x08000000, 42, 1, 0x020000000001L)); // reserved byte set
            link.accept(from, datagram(0x08000000, 43, 0, 0x020000000001L)); // another VNI
            link.accept(from, ByteBuffer.wrap(new byte[10])); // truncated
            assertEquals(1, got.size());
            assertEquals(4, discarded.get(), "each datagram dropped is reported, so the interface counts it");
        } finally {
            link.close();
        }
    }
}
