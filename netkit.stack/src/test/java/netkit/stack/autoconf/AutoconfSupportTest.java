package netkit.stack.autoconf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.admin.DynamicAddress;
import netkit.api.admin.InterfaceStatus;
import netkit.api.admin.RouteEntry;
import netkit.api.spi.autoconf.ArpProbe;
import netkit.api.spi.autoconf.InterfacePort;
import netkit.api.stats.IpCounter;
import netkit.stack.Stack;
import netkit.stack.iface.InterfaceConfig;
import netkit.stack.testing.TestNet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stack's support for DHCP clients: interface-bound UDP ports, RFC 5227 probes, dynamic addresses. */
class AutoconfSupportTest {
    static final int OFFERED = 0x0a000032; // 10.0.0.50
    static final long S = 1_000_000_000L;

    TestNet net;
    Stack client;
    Stack server;
    final List<String> received = new ArrayList<>();

    @BeforeEach
    void setUp() {
        net = new TestNet(3);
        client = net.stack(0);
        server = net.stack(1);
    }

    static InterfaceConfig eth0(int address, long mac) {
        return new InterfaceConfig("eth0", "wire", address, 24, 1500, 0, mac, true, Map.of("segment", "lan"));
    }

    InterfacePort bind(Stack s, int port) throws ErrnoException {
        s.context().lock().lock();
        try {
            return s.autoconf().bind("eth0", port, (src, sport, dst, a, off, len) -> received.add(
                    src + ":" + sport + ">" + dst + " " + new String(a, off, len)));
        } finally {
            s.context().lock().unlock();
        }
    }

    void send(InterfacePort p, Stack s, int src, int dst, int port, String text) throws ErrnoException {
        s.context().lock().lock();
        try {
            p.send(src, dst, port, text.getBytes(), 0, text.length());
        } finally {
            s.context().lock().unlock();
        }
    }

    InterfaceStatus status(Stack s) {
        return s.admin().interfaces().stream().filter(i -> i.name().equals("eth0")).findFirst().orElseThrow();
    }

    @Test
    void broadcastFromZeroReachesTheServerAndTheReplyReachesTheUnconfiguredInterface() throws Exception {
        client.configure(eth0(0, 0x020000000100L));
        net.loop.runUntilIdle();
        InterfacePort c = bind(client, 68);
        InterfacePort s = bind(server, 67);
        send(c, client, 0, -1, 67, "discover");
        net.loop.runUntilIdle();
        assertEquals(List.of("0:68>-1 discover"), received);
        send(s, server, TestNet.address(1), -1, 68, "offer");
        net.loop.runUntilIdle();
        assertEquals("167772162:67>-1 offer", received.get(1));
    }

    @Test
    void aUnicastToAnAddressTheInterfaceDoesNotHaveYetReachesItsBoundPortOnly() throws Exception {
        // s1 learns the MAC of 10.0.0.50 while s0 has it, then s0 gives it up (as a server's injected ARP entry)
        client.configure(eth0(OFFERED, 0x020000000100L));
        net.loop.runUntilIdle();
        InterfacePort s = bind(server, 67);
        send(s, server, TestNet.address(1), OFFERED, 68, "warm-up");
        net.loop.runUntilIdle();
        client.configure(eth0(0, 0x020000000100L));
        net.loop.runUntilIdle();
        long addrErrors = client.admin().statistics().ip().get(IpCounter.IN_ADDR_ERRORS);
        send(s, server, TestNet.address(1), OFFERED, 68, "unbound");
        net.loop.runUntilIdle();
        assertTrue(received.isEmpty(), "no bound port: dropped, as a host drops datagrams not for it");
        assertEquals(addrErrors + 1, client.admin().statistics().ip().get(IpCounter.IN_ADDR_ERRORS));
        InterfacePort c = bind(client, 68);
        send(s, server, TestNet.address(1), OFFERED, 68, "ack");
        net.loop.runUntilIdle();
        assertEquals(List.of("167772162:67>" + OFFERED + " ack"), received);
        // other ports stay the host's: not claimed
        send(s, server, TestNet.address(1), OFFERED, 69, "other port");
        net.loop.runUntilIdle();
        assertEquals(1, received.size());
        c.close();
        send(s, server, TestNet.address(1), OFFERED, 68, "closed");
        net.loop.runUntilIdle();
        assertEquals(1, received.size(), "closed: not delivered");
    }

    @Test
    void anAddressedInterfaceClaimsOnlyItsOwnAddressAndBroadcasts() throws Exception {
        InterfacePort c = bind(client, 68); // s0 has 10.0.0.1
        InterfacePort s = bind(server, 67);
        send(s, server, TestNet.address(1), TestNet.address(0), 68, "to me");
        send(s, server, TestNet.address(1), 0x0a0000ff, 68, "subnet broadcast");
        net.loop.runUntilIdle();
        assertEquals(2, received.size(), received.toString());
        // s0 now owns 10.0.0.50's MAC in s1's cache? No: a unicast to another address is not s0's
        server.configure(eth0(TestNet.address(1), 0x020000000101L));
        net.stack(2).configure(eth0(OFFERED, 0x020000000102L)); // s2 answers ARP for .50
        net.loop.runUntilIdle();
        send(s, server, TestNet.address(1), OFFERED, 68, "to s2");
        net.loop.runUntilIdle();
        assertEquals(2, received.size(), "s0 has an address: only datagrams to it are claimed");
        c.close();
    }

    @Test
    void bindRefusesUnknownInterfacesAndSecondBindings() throws Exception {
        bind(client, 68);
        ErrnoException twice = assertThrows(ErrnoException.class, () -> bind(client, 68));
        assertEquals(Errno.EADDRINUSE, twice.errno());
        client.context().lock().lock();
        try {
            ErrnoException none = assertThrows(ErrnoException.class,
                    () -> client.autoconf().bind("eth9", 68, (a, b, c, d, e, f) -> { }));
            assertEquals(Errno.EADDRNOTAVAIL, none.errno());
        } finally {
            client.context().lock().unlock();
        }
    }

    @Test
    void aProbeHearsTheHostThatHasTheAddressAndNoOtherwise() throws Exception {
        client.configure(eth0(0, 0x020000000100L));
        net.stack(2).configure(eth0(OFFERED, 0x020000000102L));
        net.loop.runUntilIdle();
        List<Long> conflicts = new ArrayList<>();
        client.context().lock().lock();
        ArpProbe used;
        ArpProbe free;
        try {
            used = client.autoconf().probe("eth0", OFFERED, conflicts::add);
            free = client.autoconf().probe("eth0", OFFERED + 1, m -> conflicts.add(-m));
            used.send();
            free.send();
        } finally {
            client.context().lock().unlock();
        }
        net.run(Duration.ofSeconds(2));
        assertEquals(List.of(0x020000000102L), conflicts);
        assertTrue(client.admin().arp().stream().noneMatch(e -> e.address() == OFFERED),
                "a probe teaches the prober nothing");
        client.context().lock().lock();
        try {
            used.close();
            free.close();
        } finally {
            client.context().lock().unlock();
        }
    }

    @Test
    void aDynamicAddressReplacesTheConfiguredOneUntilItExpires() throws Exception {
        client.configure(eth0(0, 0x020000000100L));
        long now = net.loop.nanoTime();
        client.admin().setDynamicAddress("eth0", new DynamicAddress("dhcp", OFFERED, 24, TestNet.address(1), 1400,
                now + 100 * S, now + 50 * S, now + 87 * S));
        InterfaceStatus s = status(client);
        assertEquals(OFFERED, s.address());
        assertEquals(1400, s.mtu());
        assertEquals(100, s.lease().validSeconds());
        assertEquals(50, s.lease().renewSeconds());
        assertTrue(client.admin().routes().contains(new RouteEntry(0, 0, TestNet.address(1), "eth0", OFFERED,
                "gateway", 0)));
        // reconfiguring the interface (a relink) keeps it
        client.configure(eth0(0, 0x020000000100L).withParameters(Map.of("segment", "lan", "loss", "0")));
        assertEquals(OFFERED, status(client).address());
        net.run(Duration.ofSeconds(99));
        assertEquals(OFFERED, status(client).address());
        assertEquals(1, status(client).lease().validSeconds());
        net.run(Duration.ofSeconds(1));
        assertEquals(0, status(client).address(), "the stack never keeps an expired address");
        assertNull(status(client).lease());
        assertTrue(client.admin().routes().stream().noneMatch(r -> r.iface().equals("eth0")));
    }

    @Test
    void clearingBringsBackTheConfiguredAddress() throws Exception {
        long now = net.loop.nanoTime();
        client.admin().setDynamicAddress("eth0", new DynamicAddress("dhcp", OFFERED, 16, 0, 0, now + 100 * S,
                now + 50 * S, now + 87 * S));
        assertEquals(OFFERED, status(client).address());
        assertEquals(16, status(client).prefix());
        assertTrue(client.admin().clearDynamicAddress("eth0"));
        assertEquals(TestNet.address(0), status(client).address());
        assertEquals(24, status(client).prefix());
        assertNotNull(client.admin().routes().stream().filter(r -> r.iface().equals("eth0")).findFirst().orElse(null));
        assertTrue(!client.admin().clearDynamicAddress("eth0"));
        ErrnoException expired = assertThrows(ErrnoException.class, () -> client.admin().setDynamicAddress("eth0",
                new DynamicAddress("dhcp", OFFERED, 16, 0, 0, now, now, now)));
        assertEquals(Errno.EINVAL, expired.errno());
        ErrnoException none = assertThrows(ErrnoException.class, () -> client.admin().setDynamicAddress("eth9",
                new DynamicAddress("dhcp", OFFERED, 16, 0, 0, now + S, now, now)));
        assertEquals(Errno.EADDRNOTAVAIL, none.errno());
    }
}
