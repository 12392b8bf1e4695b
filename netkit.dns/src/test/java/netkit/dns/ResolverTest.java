package netkit.dns;

import static netkit.dns.ResolverNet.S1;
import static netkit.dns.ResolverNet.S2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.api.netdb.HostEntry;
import netkit.api.netdb.HostError;
import netkit.api.netdb.NetDbException;
import netkit.api.netdb.ResolverConfiguration;
import netkit.api.netdb.ResolverCounter;
import org.junit.jupiter.api.Test;

/** The stub resolver against scripted name servers on the simulated wire (RFC 1035, 1123 §6.1, 2308, 5452). */
class ResolverTest {
    private static final int ADDR = SockAddr.parseAddress("192.0.2.10");
    private static final long SECOND = 1_000_000_000L;

    private static List<Object> one(byte[] reply) {
        return List.of(reply);
    }

    @Test
    void anARecordIsResolvedFromTheFirstServer() throws Exception {
        ResolverNet n = new ResolverNet(ResolverNet.twoServers().build());
        n.s1.script = q -> one(Reply.to(q).a(q.name(), 300, ADDR).bytes());
        HostEntry h = n.byName("host.example");
        assertEquals(new HostEntry("host.example", List.of(), List.of(ADDR)), h);
        assertEquals(1, n.s1.log.size());
        assertEquals(0, n.s2.log.size());
        assertEquals(DnsMessage.TYPE_A, n.s1.log.get(0).type());
        assertEquals(1, n.counter(ResolverCounter.QUERIES));
        assertEquals(1, n.counter(ResolverCounter.RESPONSES));
    }

    @Test
    void aSilentServerTimesOutAndTheNextIsAsked() throws Exception {
        ResolverNet n = new ResolverNet(ResolverNet.twoServers().build());
        n.s2.script = q -> one(Reply.to(q).a(q.name(), 300, ADDR).bytes());
        long start = n.now();
        assertEquals(List.of(ADDR), n.byName("host.example").addresses());
        long took = n.now() - start;
        assertTrue(took >= SECOND && took < SECOND + 50_000_000L, "one 1 s timeout, then s2: " + took);
        assertEquals(1, n.s1.log.size());
        assertEquals(1, n.s2.log.size());
        assertEquals(1, n.counter(ResolverCounter.TIMEOUTS));
    }

    @Test
    void noAnswerFromAnyServerIsTryAgainAfterEveryAttempt() throws Exception {
        ResolverNet n = new ResolverNet(ResolverNet.twoServers().attempts(3).build());
        long start = n.now();
        NetDbException e = n.failure("host.example.");
        assertEquals(HostError.TRY_AGAIN, e.error());
        long took = n.now() - start;
        assertTrue(took >= 6 * SECOND && took < 6 * SECOND + 100_000_000L, "3 rounds of 2 servers x 1 s: " + took);
        List<Integer> order = new ArrayList<>();
        n.s1.log.forEach(q -> order.add((int) (q.at() / SECOND)));
        assertEquals(3, n.s1.log.size());
        assertEquals(3, n.s2.log.size());
        assertTrue(n.s1.log.get(1).at() > n.s2.log.get(0).at(), "s1, s2, s1, s2, ...: " + order);
        assertEquals(6, n.counter(ResolverCounter.TIMEOUTS));
    }

    @Test
    void rotateStartsEachQueryAtTheNextServer() throws Exception {
        ResolverNet n = new ResolverNet(ResolverNet.twoServers().rotate(true).build());
        n.s1.script = q -> one(Reply.to(q).a(q.name(), 0, ADDR).bytes());
        n.s2.script = n.s1.script;
        for (int i = 0; i < 4; i++) {
            n.byName("h" + i + ".example");
        }
        assertEquals(2, n.s1.log.size());
        assertEquals(2, n.s2.log.size());
        assertEquals("h1.example", n.s2.log.get(0).name());

        ResolverNet fixed = new ResolverNet(ResolverNet.twoServers().build());
        fixed.s1.script = q -> one(Reply.to(q).a(q.name(), 0, ADDR).bytes());
        for (int i = 0; i < 4; i++) {
            fixed.byName("h" + i + ".example");
        }
        assertEquals(4, fixed.s1.log.size(), "without rotate the first server is always asked first");
    }

    @Test
    void aTruncatedAnswerIsAskedAgainOverTcp() throws Exception {
        ResolverNet n = new ResolverNet(ResolverNet.twoServers().build());
        n.s1.script = q -> {
            if (!q.tcp()) {
                return one(Reply.to(q).truncated().a(q.name(), 300, ADDR).bytes());
            }
            Reply r = Reply.to(q);
            for (int i = 0; i < 40; i++) {
                r.a(q.name(), 300, ADDR + i);
            }
            return one(r.bytes());
        };
        HostEntry h = n.byName("big.example");
        assertEquals(40, h.addresses().size(), "all 40 addresses (more than 512 bytes) came over TCP");
        assertEquals(2, n.s1.log.size());
        assertTrue(n.s1.log.get(1).tcp());
        assertEquals(1, n.counter(ResolverCounter.TRUNCATED));
    }

    @Test
    void spoofedAnswersAreDroppedAndCounted() throws Exception {
        ResolverNet n = new ResolverNet(ResolverNet.twoServers().build());
        int evil = SockAddr.parseAddress("203.0.113.66");
        SocketManager s1other = n.net.stack(1).sockets("spoofer");
        int otherPort = s1other.socket(Net.AF_INET, Net.SOCK_DGRAM, 0);
        s1other.bind(otherPort, SockAddr.of(0, 5353));
        // s2 learns s0's MAC first, so its spoof is not held back by ARP behind the real answer
        n.s2.api.sendto(n.s2.udp, new byte[1], 0, 1, 0, SockAddr.of(netkit.stack.testing.TestNet.address(0), 9));
        n.net.run(java.time.Duration.ofSeconds(1));
        n.s1.script = q -> List.of(
                Reply.to(q).id(q.id() ^ 1).a(q.name(), 300, evil).bytes(),
                Reply.to(q).question("other.example", DnsMessage.TYPE_A).a("other.example", 300, evil).bytes(),
                Reply.to(q).question(q.name(), DnsMessage.TYPE_PTR).a(q.name(), 300, evil).bytes(),
                new DnsServer.Send(n.s2.api, n.s2.udp, /* s2:53, another server */ Reply.to(q).a(q.name(), 300, evil).bytes()),
                new DnsServer.Send(s1other, otherPort, Reply.to(q).a(q.name(), 300, evil).bytes()),
                Reply.to(q).a(q.name(), 300, ADDR).bytes());
        assertEquals(List.of(ADDR), n.byName("bank.example").addresses());
        assertEquals(1, n.counter(ResolverCounter.WRONG_ID));
        assertEquals(2, n.counter(ResolverCounter.WRONG_QUESTION));
        assertEquals(2, n.counter(ResolverCounter.WRONG_SOURCE));
        assertEquals(1, n.counter(ResolverCounter.RESPONSES));
    }

    @Test
    void onlySpoofedAnswersNeverResolve() throws Exception {
        ResolverNet n = new ResolverNet(ResolverNet.twoServers().attempts(1).build());
        int evil = SockAddr.parseAddress("203.0.113.66");
        n.s1.script = q -> one(Reply.to(q).id(q.id() + 1 & 0xffff).a(q.name(), 300, evil).bytes());
        n.s2.script = q -> one(Reply.to(q).question("x" + q.name(), q.type()).a("x" + q.name(), 300, evil).bytes());
        assertEquals(HostError.TRY_AGAIN, n.failure("bank.example").error());
        assertEquals(2, n.counter(ResolverCounter.TIMEOUTS));
    }

    @Test
    void queryIdsAndSourcePortsDifferBetweenQueries() throws Exception {
        ResolverNet n = new ResolverNet(ResolverNet.twoServers().build());
        n.s1.script = q -> one(Reply.to(q).a(q.name(), 0, ADDR).bytes());
        for (int i = 0; i < 8; i++) {
            n.byName("h" + i + ".example");
        }
        assertEquals(8, n.s1.log.stream().map(DnsServer.Query::id).distinct().count());
        assertEquals(8, n.s1.log.stream().map(q -> q.from().port()).distinct().count());
    }

    @Test
    void aCnameChainGivesTheCanonicalNameAndAliases() throws Exception {
        ResolverNet n = new ResolverNet(ResolverNet.twoServers().build());
        n.s1.script = q -> one(Reply.to(q).cname("www.example", 300, "web.example").cname("web.example", 300,
                "lb.cdn.example").a("lb.cdn.example", 60, ADDR).a("unrelated.example", 60, ADDR + 1).bytes());
        HostEntry h = n.byName("www.example");
        assertEquals(new HostEntry("lb.cdn.example", List.of("www.example", "web.example"), List.of(ADDR)), h);
    }

    @Test
    void aChainEndingWithoutDataIsFollowedByAQueryForItsEnd() throws Exception {
        ResolverNet n = new ResolverNet(ResolverNet.twoServers().build());
        n.s1.script = q -> q.name().equals("www.example")
                ? one(Reply.to(q).cname("www.example", 300, "elsewhere.example").bytes())
                : one(Reply.to(q).a("elsewhere.example", 300, ADDR).bytes());
        HostEntry h = n.byName("www.example");
        assertEquals(new HostEntry("elsewhere.example", List.of("www.example"), List.of(ADDR)), h);
        assertEquals(1, n.s1.count("elsewhere.example"));
    }

    @Test
    void aCnameLoopEndsBounded() throws Exception {
        ResolverNet n = new ResolverNet(ResolverNet.twoServers().build());
        n.s1.script = q -> one(Reply.to(q).cname(q.name(), 300, q.name().startsWith("a") ? "b.example" : "a.example")
                .bytes());
        NetDbException e = n.failure("a.example");
        assertEquals(HostError.NO_RECOVERY, e.error());
        assertTrue(n.s1.log.size() <= Resolver.MAX_CNAMES + 1, n.s1.log.size() + " queries");
    }

    @Test
    void answersAreCachedForTheirTtl() throws Exception {
        ResolverNet n = new ResolverNet(ResolverNet.twoServers().build());
        n.s1.script = q -> one(Reply.to(q).cname(q.name(), 120, "c.example").a("c.example", 30, ADDR).bytes());
        n.byName("host.example");
        long first = n.now();
        n.byName("HOST.example");
        assertEquals(1, n.s1.log.size(), "the second lookup came from the cache");
        assertEquals(1, n.counter(ResolverCounter.CACHE_HITS));
        n.net.run(java.time.Duration.ofNanos(first + 30 * SECOND - n.now() - 10_000_000));
        n.byName("host.example");
        assertEquals(1, n.s1.log.size(), "still cached 10 ms before the least TTL of the chain (30 s)");
        n.net.run(java.time.Duration.ofMillis(20));
        n.byName("host.example");
        assertEquals(2, n.s1.log.size(), "asked again once the TTL passed");
    }

    @Test
    void aNonexistentNameIsCachedForTheSoaMinimum() throws Exception {
        ResolverNet n = new ResolverNet(ResolverNet.twoServers().build());
        n.s1.script = q -> one(Reply.to(q).rcode(DnsMessage.NXDOMAIN).soa("example", 600, 60).bytes());
        assertEquals(HostError.HOST_NOT_FOUND, n.failure("nosuch.example.").error());
        assertEquals(HostError.HOST_NOT_FOUND, n.failure("nosuch.example.").error());
        assertEquals(1, n.s1.log.size());
        assertEquals(1, n.counter(ResolverCounter.NEGATIVE_CACHE_HITS));
        n.net.run(java.time.Duration.ofSeconds(61));
        n.failure("nosuch.example.");
        assertEquals(2, n.s1.log.size(), "min(SOA TTL 600, MINIMUM 60) passed");
    }

    @Test
    void aNegativeAnswerWithoutSoaIsNotCached() throws Exception {
        ResolverNet n = new ResolverNet(ResolverNet.twoServers().build());
        n.s1.script = q -> one(Reply.to(q).rcode(DnsMessage.NXDOMAIN).bytes());
        n.failure("nosuch.example.");
        n.failure("nosuch.example.");
        assertEquals(2, n.s1.log.size());
    }

    @Test
    void aNameWithoutAddressIsNoData() throws Exception {
        ResolverNet n = new ResolverNet(ResolverNet.twoServers().build());
        n.s1.script = q -> one(Reply.to(q).soa("example", 300, 300).bytes());
        assertEquals(HostError.NO_DATA, n.failure("mail.example.").error());
        assertEquals(HostError.NO_DATA, n.failure("mail.example.").error());
        assertEquals(1, n.s1.log.size(), "NODATA cached too (RFC 2308 §5)");
    }

    @Test
    void serverFailureMovesOnAndRefusalEverywhereIsNoRecovery() throws Exception {
        ResolverNet n = new ResolverNet(ResolverNet.twoServers().build());
        n.s1.script = q -> one(Reply.to(q).rcode(DnsMessage.SERVFAIL).bytes());
        n.s2.script = q -> one(Reply.to(q).a(q.name(), 300, ADDR).bytes());
        assertEquals(List.of(ADDR), n.byName("host.example").addresses());
        assertEquals(1, n.counter(ResolverCounter.SERVER_FAILURES));

        ResolverNet refused = new ResolverNet(ResolverNet.twoServers().build());
        refused.s1.script = q -> one(Reply.to(q).rcode(DnsMessage.REFUSED).bytes());
        refused.s2.script = refused.s1.script;
        assertEquals(HostError.NO_RECOVERY, refused.failure("host.example.").error());
        assertEquals(4, refused.counter(ResolverCounter.SERVER_FAILURES), "2 attempts x 2 servers");
    }

    @Test
    void malformedResponsesAreDroppedAndTheRightOneAccepted() throws Exception {
        ResolverNet n = new ResolverNet(ResolverNet.twoServers().build());
        n.s1.script = q -> {
            byte[] good = Reply.to(q).a(q.name(), 300, ADDR).bytes();
            byte[] loop = good.clone();
            loop[12] = (byte) 0xc0; // the question name points at itself
            loop[13] = 12;
            byte[] cut = java.util.Arrays.copyOf(good, good.length - 2);
            byte[] counts = good.clone();
            counts[6] = (byte) 0xff; // 65,280 answers in a few bytes
            return List.of(loop, cut, counts, new byte[] {good[0], good[1]}, good);
        };
        assertEquals(List.of(ADDR), n.byName("host.example").addresses());
        assertEquals(4, n.counter(ResolverCounter.MALFORMED));
    }

    @Test
    void aPtrQueryGivesTheNamesOfAnAddress() throws Exception {
        ResolverNet n = new ResolverNet(ResolverNet.twoServers().build());
        n.s1.script = q -> one(Reply.to(q).ptr(q.name(), 300, "printer.example").ptr(q.name(), 300, "lp.example")
                .bytes());
        HostEntry h = n.byAddress(ADDR);
        assertEquals(new HostEntry("printer.example", List.of("lp.example"), List.of(ADDR)), h);
        assertEquals("10.2.0.192.in-addr.arpa", n.s1.log.get(0).name());
        assertEquals(DnsMessage.TYPE_PTR, n.s1.log.get(0).type());
    }

    @Test
    void theSearchListFollowsNdots() throws Exception {
        ResolverNet n = new ResolverNet(ResolverNet.twoServers().search("lan.example", "corp.example").build());
        n.s1.script = q -> q.name().endsWith("corp.example")
                ? one(Reply.to(q).a(q.name(), 0, ADDR).bytes())
                : one(Reply.to(q).rcode(DnsMessage.NXDOMAIN).bytes());
        assertEquals("printer.corp.example", n.byName("printer").name());
        assertEquals(List.of("printer.lan.example", "printer.corp.example"),
                n.s1.log.stream().map(DnsServer.Query::name).toList(), "fewer dots than ndots: the search list first");
        n.s1.log.clear();
        assertEquals("a.b.corp.example", n.byName("a.b").name());
        assertEquals(List.of("a.b", "a.b.lan.example", "a.b.corp.example"),
                n.s1.log.stream().map(DnsServer.Query::name).toList(), "ndots reached: as it is first");
        n.s1.log.clear();
        assertEquals(HostError.HOST_NOT_FOUND, n.failure("absolute.").error());
        assertEquals(List.of("absolute"), n.s1.log.stream().map(DnsServer.Query::name).toList());

        ResolverNet three = new ResolverNet(ResolverNet.twoServers().search("corp.example").ndots(3).build());
        three.s1.script = n.s1.script;
        three.byName("a.b");
        assertEquals(List.of("a.b.corp.example"), three.s1.log.stream().map(DnsServer.Query::name).toList());
    }

    @Test
    void aSearchReportsNoDataOverNotFound() throws Exception {
        ResolverNet n = new ResolverNet(ResolverNet.twoServers().search("a.example", "b.example").build());
        n.s1.script = q -> q.name().equals("pc.a.example")
                ? one(Reply.to(q).soa("a.example", 60, 60).bytes())
                : one(Reply.to(q).rcode(DnsMessage.NXDOMAIN).bytes());
        assertEquals(HostError.NO_DATA, n.failure("pc").error());
        assertEquals(3, n.s1.log.size(), "pc.a.example, pc.b.example, pc");
    }

    @Test
    void theHostsTableAnswersFirstWithoutAnyServer() throws Exception {
        ResolverNet n = new ResolverNet(ResolverSettings.builder()
                .hosts("192.0.2.7 nas.home nas", "192.0.2.8 nas.home").hostname("box").build());
        assertEquals(new HostEntry("localhost", List.of(), List.of(Net.INADDR_LOOPBACK)), n.byName("localhost"));
        assertEquals(List.of(Net.INADDR_LOOPBACK), n.byName("db.localhost").addresses());
        assertEquals(new HostEntry("box", List.of(), List.of(0x0a000001)), n.byName("BOX"));
        assertEquals(new HostEntry("nas.home", List.of("nas"), List.of(0xc0000207, 0xc0000208)),
                n.byName("nas.home"));
        assertEquals(new HostEntry("nas.home", List.of("nas"), List.of(0xc0000207)), n.byName("nas"));
        assertEquals("localhost", n.byAddress(Net.INADDR_LOOPBACK).name());
        assertEquals("box", n.byAddress(0x0a000001).name());
        assertEquals("nas.home", n.byAddress(0xc0000208).name());
        assertEquals(List.of(ADDR), n.byName("192.0.2.10").addresses(), "a dotted quad is its own address");
        assertEquals(HostError.TRY_AGAIN, n.failure("elsewhere.example").error(), "no name server to ask");
        assertEquals(0, n.counter(ResolverCounter.QUERIES));
        assertEquals("box", n.resolver.gethostname());
        n.resolver.sethostname("other");
        assertEquals(List.of(0x0a000001), n.byName("other").addresses());
        assertEquals(netkit.api.Errno.EINVAL, netkit.api.testing.ErrnoAssertions.errno(() -> n.resolver.sethostname("bad name")));
    }

    @Test
    void servicesByNameAndPort() throws Exception {
        ResolverNet n = new ResolverNet(ResolverSettings.builder().services("sink 9000/tcp bulk", "ssh 2222/tcp")
                .build());
        Resolver r = n.resolver;
        assertEquals(53, r.getservbyname("domain", "udp").orElseThrow().port());
        assertEquals(80, r.getservbyname("WWW", "tcp").orElseThrow().port());
        assertEquals("http", r.getservbyname("www", null).orElseThrow().name());
        assertEquals(9000, r.getservbyname("bulk", "tcp").orElseThrow().port());
        assertEquals(2222, r.getservbyname("ssh", "tcp").orElseThrow().port(), "configured entries come first");
        assertTrue(r.getservbyname("ntp", "tcp").isEmpty());
        assertEquals("ntp", r.getservbyport(123, "udp").orElseThrow().name());
        assertEquals("sink", r.getservbyport(9000, null).orElseThrow().name());
        assertTrue(r.getservbyport(9, "sctp").isEmpty());
    }

    @Test
    void serversAndSearchDomainsOfOtherSourcesComeAfterTheConfiguredOnes() throws Exception {
        ResolverNet n = new ResolverNet(ResolverSettings.builder().timeoutMillis(1000).search("lan.example").build());
        n.resolver.sources(List.of(new ResolverConfiguration("dhcp eth0", List.of(S2), List.of("dhcp.example"))));
        assertEquals(new ResolverConfiguration("effective", List.of(S2), List.of("lan.example", "dhcp.example")),
                n.resolver.configuration());
        n.s2.script = q -> q.name().endsWith("dhcp.example")
                ? one(Reply.to(q).a(q.name(), 0, ADDR).bytes())
                : one(Reply.to(q).rcode(DnsMessage.NXDOMAIN).bytes());
        assertEquals("pc.dhcp.example", n.byName("pc").name());
        n.resolver.settings(n.resolver.settings().toBuilder().nameServers(List.of(S1)).build());
        n.s1.script = n.s2.script;
        n.byName("pc2");
        assertEquals("pc2.lan.example", n.s1.log.get(0).name(), "the configured server first");
        assertNotEquals(0, n.s1.log.size());
    }
}
