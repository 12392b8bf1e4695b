package netkit.link.vxlan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
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

    @Test
    void badParametersAreRefused() {
        assertThrows(IOException.class, () -> new VxlanDriver().open(new LinkConfig("vx0", 0, 0,
                Map.of("local", "127.0.0.1:0", "vni", "99999999"), pool), f -> { }));
        assertThrows(IOException.class, () -> new VxlanDriver().open(new LinkConfig("vx0", 0, 0,
                Map.of("local", "127.0.0.1:notaport"), pool), f -> { }));
    }
}
