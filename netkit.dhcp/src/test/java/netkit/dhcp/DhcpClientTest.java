package netkit.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import netkit.api.SockAddr;
import netkit.api.admin.InterfaceStatus;
import netkit.api.admin.RouteEntry;
import netkit.api.netdb.ResolverConfiguration;
import netkit.stack.Stack;
import netkit.stack.iface.InterfaceConfig;
import netkit.stack.testing.TestNet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's states (RFC 2131 §4.4) against a scripted server on a second stack, on the simulated
 * clock: s0 is the client (eth0 without an address), s1 the server 10.0.0.2, s2 a third host.
 */
class DhcpClientTest {
    static final int LEASED = 0x0a000032; // 10.0.0.50
    static final int SERVER = TestNet.address(1);
    static final long S = 1_000_000_000L;

    TestNet net;
    Stack client;
    ScriptedServer server;
    DhcpClient dhcp;
    final List<DhcpLease> events = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        net = new TestNet(3);
        client = net.stack(0);
        client.configure(unaddressed("wire"));
        server = new ScriptedServer(net.stack(1), SERVER);
        dhcp = new DhcpClient(client.autoconf(), client.admin(), "eth0", (i, l) -> events.add(l));
        net.loop.runUntilIdle();
    }

    static InterfaceConfig unaddressed(String driver) {
        return new InterfaceConfig("eth0", driver, 0, 0, 1500, 0, 0x020000000100L, true, Map.of("segment", "lan"));
    }

    InterfaceStatus eth0() {
        return client.admin().interfaces().stream().filter(s -> s.name().equals("eth0")).findFirst().orElseThrow();
    }

    long now() {
        return net.loop.nanoTime();
    }

    void bind() {
        dhcp.start();
        net.run(Duration.ofSeconds(10));
        assertEquals(DhcpState.BOUND, dhcp.state());
    }

    @Test
    void discoverOfferRequestAckProbeBound() {
        assertEquals(0, eth0().address());
        dhcp.start();
        assertEquals(DhcpState.INIT, dhcp.state());
        net.run(Duration.ofMillis(1100));
        // DISCOVER from 0.0.0.0 to the limited broadcast; the OFFER made the client REQUEST it
        ScriptedServer.Seen discover = server.of(DhcpMessage.DISCOVER).get(0);
        assertEquals(0, discover.source());
        assertEquals(-1, discover.destination());
        assertEquals(0x020000000100L, discover.message().chaddr);
        assertEquals(DhcpMessage.FLAG_BROADCAST, discover.message().flags);
        ScriptedServer.Seen request = server.of(DhcpMessage.REQUEST).get(0);
        assertEquals(discover.message().xid, request.message().xid);
        assertEquals(LEASED, request.message().int32(DhcpMessage.OPT_REQUESTED_IP, 0));
        assertEquals(SERVER, request.message().int32(DhcpMessage.OPT_SERVER_ID, 0));
        assertEquals(0, request.source());
        assertEquals(DhcpState.PROBING, dhcp.state());
        assertEquals(0, eth0().address(), "no address before the ARP probes are done");
        net.run(Duration.ofSeconds(8));
        assertEquals(DhcpState.BOUND, dhcp.state());
        InterfaceStatus s = eth0();
        assertEquals(LEASED, s.address());
        assertEquals(24, s.prefix());
        assertEquals(1400, s.mtu());
        assertNotNull(s.lease());
        assertEquals("dhcp", s.lease().origin());
        assertTrue(s.lease().validSeconds() > 3590 && s.lease().validSeconds() <= 3600, s.lease().toString());
        assertTrue(s.lease().renewSeconds() > 1790 && s.lease().renewSeconds() <= 1800);
        assertTrue(s.lease().rebindSeconds() > 3140 && s.lease().rebindSeconds() <= 3150);
        assertTrue(client.admin().routes().contains(new RouteEntry(0, 0, SERVER, "eth0", LEASED, "gateway", 0)),
                client.admin().routes().toString());
        assertEquals(new ResolverConfiguration("dhcp eth0", List.of(SERVER), List.of("lan.test")),
                dhcp.resolverConfiguration());
        assertEquals(1, events.size());
    }

    @Test
    void renewsByUnicastAtT1() {
        bind();
        long t1 = dhcp.lease().renewNanos();
        net.run(Duration.ofNanos(t1 - now() - S));
        assertEquals(DhcpState.BOUND, dhcp.state());
        int requests = server.of(DhcpMessage.REQUEST).size();
        net.run(Duration.ofSeconds(2));
        ScriptedServer.Seen renew = server.of(DhcpMessage.REQUEST).get(requests);
        assertEquals(LEASED, renew.source(), "from the leased address");
        assertEquals(SERVER, renew.destination(), "unicast to the server (RFC 2131 §4.4.5)");
        assertEquals(LEASED, renew.message().ciaddr);
        assertNull(renew.message().options[DhcpMessage.OPT_REQUESTED_IP], "MUST NOT carry a requested address");
        assertNull(renew.message().options[DhcpMessage.OPT_SERVER_ID]);
        assertEquals(DhcpState.BOUND, dhcp.state());
        assertTrue(dhcp.lease().renewNanos() > t1 + 1700 * S, "a new lease from the renewal");
        assertEquals(LEASED, eth0().address());
        assertEquals(2, events.size(), "the listener hears of the renewed lease");
    }

    @Test
    void rebindsByBroadcastAtT2WhenTheServerDoesNotAnswer() {
        bind();
        DhcpLease first = dhcp.lease();
        server.silent = true;
        net.run(Duration.ofNanos(first.renewNanos() - now() + S));
        assertEquals(DhcpState.RENEWING, dhcp.state());
        // retransmissions in RENEWING: half the time to T2, at least 60 s (RFC 2131 §4.4.5)
        net.run(Duration.ofNanos(first.rebindNanos() - now() - S));
        List<ScriptedServer.Seen> renews = server.of(DhcpMessage.REQUEST).stream()
                .filter(x -> x.destination() == SERVER).toList();
        assertTrue(renews.size() >= 3 && renews.size() <= 8, "renewals " + renews.size());
        for (int i = 1; i < renews.size(); i++) {
            assertTrue(renews.get(i).nanos() - renews.get(i - 1).nanos() >= 60 * S);
        }
        assertEquals(DhcpState.RENEWING, dhcp.state());
        server.silent = false;
        net.run(Duration.ofSeconds(2));
        ScriptedServer.Seen rebind = server.seen.get(server.seen.size() - 1);
        assertEquals(-1, rebind.destination(), "REBINDING broadcasts");
        assertEquals(LEASED, rebind.message().ciaddr);
        assertEquals(DhcpState.BOUND, dhcp.state());
        assertTrue(dhcp.lease().expiresNanos() > first.expiresNanos());
    }

    @Test
    void expiryRemovesAddressAndRouteThenStartsOver() {
        bind();
        DhcpLease l = dhcp.lease();
        server.silent = true;
        net.run(Duration.ofNanos(l.expiresNanos() - now() - S));
        assertEquals(DhcpState.REBINDING, dhcp.state());
        assertEquals(LEASED, eth0().address());
        net.run(Duration.ofSeconds(2));
        assertEquals(0, eth0().address(), "no expired address (RFC 2131 §4.4.5)");
        assertNull(eth0().lease());
        assertTrue(client.admin().routes().stream().noneMatch(r -> r.iface().equals("eth0")),
                client.admin().routes().toString());
        assertNull(dhcp.lease());
        assertNull(dhcp.resolverConfiguration());
        assertNull(events.get(events.size() - 1), "the listener heard the lease is gone");
        assertEquals(DhcpState.SELECTING, dhcp.state());
    }

    @Test
    void nakWhileRenewingTakesTheAddressAway() {
        bind();
        server.script = s -> s.message().ciaddr != 0
                ? List.of(ScriptedServer.broadcast(server.reply(s.message(), DhcpMessage.NAK, 0)
                        .address(DhcpMessage.OPT_SERVER_ID, SERVER).build()))
                : server.standard(s);
        long t1 = dhcp.lease().renewNanos();
        net.run(Duration.ofNanos(t1 - now() + S / 2));
        assertEquals(0, eth0().address(), "the NAK took the address at once");
        assertNull(dhcp.lease());
        assertNull(events.get(events.size() - 1));
        net.run(Duration.ofSeconds(1));
        assertEquals(2, server.of(DhcpMessage.DISCOVER).size(), "INIT again: discovering");
    }

    @Test
    void nakWhileRequestingGoesBackToInit() {
        int[] naks = {1};
        server.script = s -> s.type() == DhcpMessage.REQUEST && naks[0]-- > 0
                ? List.of(ScriptedServer.broadcast(server.reply(s.message(), DhcpMessage.NAK, 0)
                        .address(DhcpMessage.OPT_SERVER_ID, SERVER).build()))
                : server.standard(s);
        dhcp.start();
        net.run(Duration.ofMillis(1100));
        assertEquals(DhcpState.INIT, dhcp.state());
        net.run(Duration.ofSeconds(10));
        assertEquals(DhcpState.BOUND, dhcp.state());
        assertEquals(2, server.of(DhcpMessage.DISCOVER).size());
    }

    @Test
    void declinesAnAddressAnotherHostAnswersArpFor() {
        Stack third = net.stack(2);
        third.configure(new InterfaceConfig("eth0", "wire", LEASED, 24, 1500, 0, 0x020000000102L, true,
                Map.of("segment", "lan")));
        net.loop.runUntilIdle();
        dhcp.start();
        net.run(Duration.ofSeconds(8));
        List<ScriptedServer.Seen> declines = server.of(DhcpMessage.DECLINE);
        assertEquals(1, declines.size());
        DhcpMessage d = declines.get(0).message();
        assertEquals(LEASED, d.int32(DhcpMessage.OPT_REQUESTED_IP, 0));
        assertEquals(SERVER, d.int32(DhcpMessage.OPT_SERVER_ID, 0));
        assertEquals(0, eth0().address(), "a declined address is never used");
        assertEquals(DhcpState.INIT, dhcp.state());
        long declinedAt = declines.get(0).nanos();
        server.offer = LEASED + 1;
        net.run(Duration.ofSeconds(20));
        assertTrue(server.of(DhcpMessage.DISCOVER).get(1).nanos() - declinedAt >= 10 * S,
                "RFC 2131 §3.1: ten seconds before starting again");
        assertEquals(DhcpState.BOUND, dhcp.state());
        assertEquals(LEASED + 1, eth0().address());
    }

    @Test
    void retransmitsDiscoverWithRandomizedExponentialBackoff() {
        server.silent = true;
        dhcp.start();
        net.run(Duration.ofSeconds(300));
        List<ScriptedServer.Seen> d = server.of(DhcpMessage.DISCOVER);
        long[] base = {4, 8, 16, 32, 64, 64};
        assertTrue(d.size() >= 7, "discovers " + d.size());
        for (int i = 0; i < base.length; i++) {
            long gap = d.get(i + 1).nanos() - d.get(i).nanos();
            assertTrue(gap >= (base[i] - 1) * S && gap <= (base[i] + 1) * S, "gap " + i + ": " + gap);
            assertEquals(d.get(0).message().xid, d.get(i + 1).message().xid, "one xid per exchange");
        }
        assertEquals(DhcpState.SELECTING, dhcp.state());
    }

    @Test
    void requestIsRetransmittedThenInitAgain() {
        server.script = s -> s.type() == DhcpMessage.DISCOVER ? server.standard(s) : List.of();
        dhcp.start();
        net.run(Duration.ofSeconds(1 + 4 + 8 + 16 + 32 + 5));
        assertEquals(DhcpClient.REQUEST_TRIES, server.of(DhcpMessage.REQUEST).stream()
                .filter(s -> s.message().xid == server.of(DhcpMessage.DISCOVER).get(0).message().xid).count());
        assertTrue(server.of(DhcpMessage.DISCOVER).size() >= 2, "back to INIT, discovering again");
    }

    @Test
    void ignoresHostileAndForeignReplies() {
        List<byte[]> hostile = new ArrayList<>();
        server.script = s -> {
            DhcpMessage m = s.message();
            if (s.type() != DhcpMessage.DISCOVER || !hostile.isEmpty()) {
                return server.standard(s);
            }
            hostile.add(server.reply(m, DhcpMessage.OFFER, LEASED).standardOptions().build());
            ScriptedServer.ReplyBuilder wrongXid = new ScriptedServer.ReplyBuilder(server, m.xid + 1, m.chaddr,
                    DhcpMessage.OFFER, LEASED + 7).standardOptions();
            ScriptedServer.ReplyBuilder wrongChaddr = new ScriptedServer.ReplyBuilder(server, m.xid, m.chaddr + 1,
                    DhcpMessage.OFFER, LEASED + 7).standardOptions();
            // an option whose length runs past the end of the message
            ScriptedServer.ReplyBuilder truncated = server.reply(m, DhcpMessage.OFFER, LEASED + 7).standardOptions()
                    .raw(DhcpMessage.OPT_DNS, 10, 0, 0);
            byte[] t = truncated.buildUnterminated();
            t[t.length - 4] = 40; // claims 40 bytes, 3 follow
            // overload: options say "file and sname hold options", and those again say overload
            ScriptedServer.ReplyBuilder loop = server.reply(m, DhcpMessage.OFFER, LEASED + 7).standardOptions()
                    .raw(DhcpMessage.OPT_OVERLOAD, 3).fixed(108, 52, 1, 3, 255).fixed(44, 52, 1, 3, 255);
            // no message type at all
            ScriptedServer.ReplyBuilder typeless = server.reply(m, DhcpMessage.OFFER, LEASED + 7);
            byte[] noType = typeless.build();
            noType[DhcpMessage.FIXED + 4] = 0; // pad over option 53
            noType[DhcpMessage.FIXED + 5] = 0;
            noType[DhcpMessage.FIXED + 6] = 0;
            // an offer of a multicast address, and one without a server identifier
            byte[] multicast = server.reply(m, DhcpMessage.OFFER, 0xe0000001).standardOptions().build();
            byte[] noServer = server.reply(m, DhcpMessage.OFFER, LEASED + 7).build();
            byte[] tooShort = java.util.Arrays.copyOf(wrongXid.build(), 200);
            return List.of(ScriptedServer.broadcast(wrongXid.build()), ScriptedServer.broadcast(wrongChaddr.build()),
                    ScriptedServer.broadcast(t), ScriptedServer.broadcast(noType), ScriptedServer.broadcast(multicast),
                    ScriptedServer.broadcast(noServer), ScriptedServer.broadcast(tooShort),
                    ScriptedServer.broadcast(loop.build()));
        };
        dhcp.start();
        net.run(Duration.ofSeconds(2));
        assertEquals(7, dhcp.ignoredReplies(), "all but the last are refused");
        // the overload "loop" is read once (an overload option inside file/sname is ignored): a valid offer
        assertEquals(LEASED + 7, server.of(DhcpMessage.REQUEST).get(0).message()
                .int32(DhcpMessage.OPT_REQUESTED_IP, 0));
        net.run(Duration.ofSeconds(10));
        assertEquals(DhcpState.BOUND, dhcp.state());
        assertEquals(LEASED + 7, eth0().address());
    }

    @Test
    void overloadedOptionsAreRead() {
        server.script = s -> {
            DhcpMessage m = s.message();
            if (s.type() != DhcpMessage.DISCOVER) {
                return server.standard(s);
            }
            // the server identifier in 'file', the lease time in 'sname' (RFC 2132 §9.3)
            return List.of(ScriptedServer.broadcast(server.reply(m, DhcpMessage.OFFER, LEASED)
                    .raw(DhcpMessage.OPT_OVERLOAD, 3)
                    .fixed(108, 54, 4, 10, 0, 0, 2, 255).fixed(44, 51, 4, 0, 0, 14, 16, 255).build()));
        };
        dhcp.start();
        net.run(Duration.ofSeconds(10));
        assertEquals(DhcpState.BOUND, dhcp.state());
        assertEquals(SERVER, server.of(DhcpMessage.REQUEST).get(0).message().int32(DhcpMessage.OPT_SERVER_ID, 0));
    }

    @Test
    void releasesOnStop() {
        bind();
        dhcp.stop(true);
        net.loop.runUntilIdle();
        List<ScriptedServer.Seen> releases = server.of(DhcpMessage.RELEASE);
        assertEquals(1, releases.size());
        assertEquals(LEASED, releases.get(0).message().ciaddr);
        assertEquals(LEASED, releases.get(0).source());
        assertEquals(SERVER, releases.get(0).destination(), "unicast to the server (RFC 2131 §4.4.6)");
        assertEquals(SERVER, releases.get(0).message().int32(DhcpMessage.OPT_SERVER_ID, 0));
        assertEquals(0, eth0().address());
        assertEquals(DhcpState.STOPPED, dhcp.state());
        assertNull(events.get(events.size() - 1));
    }

    @Test
    void stopWithoutReleaseKeepsTheAddressAndTheNextClientReboots() {
        bind();
        dhcp.stop(false);
        assertEquals(LEASED, eth0().address());
        assertEquals(0, server.of(DhcpMessage.RELEASE).size());
        DhcpClient next = new DhcpClient(client.autoconf(), client.admin(), "eth0", (i, l) -> events.add(l));
        next.start();
        assertEquals(DhcpState.REBOOTING, next.state());
        net.run(Duration.ofSeconds(8));
        ScriptedServer.Seen reboot = server.of(DhcpMessage.REQUEST).get(server.of(DhcpMessage.REQUEST).size() - 1);
        assertEquals(LEASED, reboot.message().int32(DhcpMessage.OPT_REQUESTED_IP, 0), "INIT-REBOOT (RFC 2131 §4.4.2)");
        assertNull(reboot.message().options[DhcpMessage.OPT_SERVER_ID]);
        assertEquals(0, reboot.message().ciaddr);
        assertEquals(DhcpState.BOUND, next.state());
        assertEquals(LEASED, eth0().address());
    }

    @Test
    void theStackRemovesAnExpiredAddressWhateverBecameOfItsClient() {
        bind();
        long expires = dhcp.lease().expiresNanos();
        dhcp.stop(false); // a client that vanished without releasing
        net.run(Duration.ofNanos(expires - now() - 1));
        assertEquals(LEASED, eth0().address());
        net.run(Duration.ofNanos(2));
        assertEquals(0, eth0().address());
        assertTrue(client.admin().routes().stream().noneMatch(r -> r.iface().equals("eth0")));
    }

    @Test
    void aLinkSwapKeepsTheLease() {
        bind();
        DhcpLease l = dhcp.lease();
        client.configure(unaddressed("wire").withParameters(Map.of("segment", "lan", "loss", "0")));
        net.loop.runUntilIdle();
        assertEquals(LEASED, eth0().address());
        assertEquals(DhcpState.BOUND, dhcp.state());
        net.run(Duration.ofNanos(l.renewNanos() - now() + S));
        assertEquals(DhcpState.BOUND, dhcp.state(), "renewed over the new link");
        assertTrue(dhcp.lease().renewNanos() > l.renewNanos());
    }

    @Test
    void aNakToInitRebootTakesThePreviousAddressAway() {
        bind();
        dhcp.stop(false);
        server.offer = LEASED + 2;
        server.script = s -> s.type() == DhcpMessage.REQUEST && s.message().options[DhcpMessage.OPT_SERVER_ID] == null
                && s.message().ciaddr == 0
                ? List.of(ScriptedServer.broadcast(server.reply(s.message(), DhcpMessage.NAK, 0)
                        .address(DhcpMessage.OPT_SERVER_ID, SERVER).build()))
                : server.standard(s);
        DhcpClient next = new DhcpClient(client.autoconf(), client.admin(), "eth0", (i, l) -> events.add(l));
        next.start();
        assertEquals(LEASED, eth0().address(), "kept while it asks for it");
        net.run(Duration.ofMillis(10));
        assertEquals(DhcpState.INIT, next.state(), "the NAK came at once");
        assertEquals(0, eth0().address(), "the address it may no longer use is gone (RFC 2131 §3.2 step 3)");
        net.run(Duration.ofSeconds(10));
        assertEquals(DhcpState.BOUND, next.state());
        assertEquals(LEASED + 2, eth0().address());
    }

    @Test
    void releasingWhileRebootingRemovesThePreviousAddress() {
        bind();
        dhcp.stop(false);
        server.silent = true;
        DhcpClient next = new DhcpClient(client.autoconf(), client.admin(), "eth0", (i, l) -> events.add(l));
        next.start();
        assertEquals(DhcpState.REBOOTING, next.state());
        assertEquals(LEASED, eth0().address());
        next.stop(true);
        assertEquals(0, eth0().address());
    }

    @Test
    void anInfiniteLeaseNeverOverflowsTheClock() {
        server.leaseSeconds = 0xffffffffL;
        bind();
        DhcpLease l = dhcp.lease();
        assertTrue(l.expiresNanos() > now() + 60L * 365 * 24 * 3600 * S, "held for decades: " + l.expiresNanos());
        assertTrue(l.renewNanos() > now() && l.renewNanos() < l.rebindNanos() && l.rebindNanos() < l.expiresNanos());
        assertTrue(eth0().lease().validSeconds() > 2_000_000_000L);
    }
}
