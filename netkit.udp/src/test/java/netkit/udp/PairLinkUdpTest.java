package netkit.udp;

import static netkit.api.Net.AF_INET;
import static netkit.api.Net.SOCK_DGRAM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import netkit.api.Net;
import netkit.api.RecvInfo;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.api.stats.IpCounter;
import netkit.api.stats.UdpCounter;
import netkit.api.time.SimulatedLoop;
import netkit.api.wire.EthernetFrame;
import netkit.api.wire.Ipv4Packet;
import netkit.link.pair.PairDriver;
import netkit.stack.Stack;
import netkit.stack.StackSettings;
import netkit.stack.iface.InterfaceConfig;
import netkit.stack.testing.TestNet;
import org.junit.jupiter.api.Test;

/**
 * Two stacks on a {@code pair} link: checksums are left out only when both ends offload them, and a
 * sender whose link corrupts computes them, so the receiver still catches the corruption.
 */
class PairLinkUdpTest {
    private final SimulatedLoop loop = new SimulatedLoop();
    private final PairDriver pair = new PairDriver();

    private Stack stack(int i, Map<String, String> params) {
        Stack s = new Stack("p" + i, loop, StackSettings.defaults(), 3000 + i, TestNet.deterministicSecrets(4000 + i));
        s.addDriver(pair);
        s.addProtocol(new UdpProtocol());
        s.configure(new InterfaceConfig("veth0", "pair", TestNet.address(i), 24, 0, 0, 0x020000000200L + i, true,
                params));
        return s;
    }

    private static long udp(Stack s, UdpCounter c) {
        return s.admin().statistics().udp().get(c);
    }

    @Test
    void sixtyKilobyteDatagramsCrossUnfragmentedWithoutChecksums() throws Exception {
        Stack a = stack(0, Map.of("pair", "p"));
        Stack b = stack(1, Map.of("pair", "p"));
        assertEquals(65535, a.admin().interfaces().get(0).mtu());
        List<Integer> checksums = new ArrayList<>();
        a.admin().attachTap("veth0", (frame, off, len, out) -> {
            if (out && len > 1000) {
                checksums.add(netkit.api.wire.Bytes.get16(frame, off + EthernetFrame.HEADER_LEN + Ipv4Packet.MIN_HEADER_LEN + 6));
            }
        });
        SocketManager sa = a.sockets("a");
        SocketManager sb = b.sockets("b");
        int rx = sb.socket(AF_INET, SOCK_DGRAM, 0);
        sb.bind(rx, SockAddr.of(TestNet.address(1), 7000));
        int tx = sa.socket(AF_INET, SOCK_DGRAM, 0);
        byte[] data = new byte[60_000];
        new Random(5).nextBytes(data);
        sa.sendto(tx, data, 0, data.length, 0, SockAddr.of(TestNet.address(1), 7000));
        loop.advance(Duration.ofMillis(10));
        byte[] got = new byte[65536];
        int n = sb.recvfrom(rx, got, 0, got.length, Net.MSG_DONTWAIT, new RecvInfo());
        assertArrayEquals(data, java.util.Arrays.copyOf(got, n));
        assertEquals(0, a.admin().statistics().ip().get(IpCounter.FRAG_CREATES), "one 64 KiB frame");
        assertEquals(List.of(0), checksums, "checksum left out: both ends offload it");
    }

    @Test
    void aSenderWhoseLinkCorruptsComputesChecksumsAndTheReceiverDropsTheCorruptedDatagrams() throws Exception {
        Stack a = stack(0, Map.of("pair", "c", "corrupt", "100%", "seed", "9"));
        Stack b = stack(1, Map.of("pair", "c"));
        SocketManager sa = a.sockets("a");
        SocketManager sb = b.sockets("b");
        int rx = sb.socket(AF_INET, SOCK_DGRAM, 0);
        sb.bind(rx, SockAddr.of(TestNet.address(1), 7000));
        int tx = sa.socket(AF_INET, SOCK_DGRAM, 0);
        byte[] data = new byte[1000];
        // ARP needs a few tries through a link corrupting every frame; send many datagrams.
        for (int i = 0; i < 50; i++) {
            sa.sendto(tx, data, 0, data.length, 0, SockAddr.of(TestNet.address(1), 7000));
            loop.advance(Duration.ofMillis(100));
        }
        byte[] got = new byte[2000];
        int delivered = 0;
        while (true) {
            try {
                sb.recvfrom(rx, got, 0, got.length, Net.MSG_DONTWAIT, new RecvInfo());
                delivered++;
            } catch (netkit.api.ErrnoException e) {
                break;
            }
        }
        long caught = udp(b, UdpCounter.IN_CSUM_ERRORS) + b.admin().statistics().ip().get(IpCounter.IN_HDR_ERRORS);
        assertEquals(0, delivered, "every datagram was corrupted on the way: none may be delivered");
        assertTrue(caught > 0 || udp(b, UdpCounter.IN_DATAGRAMS) == 0, "caught " + caught);
    }
}
