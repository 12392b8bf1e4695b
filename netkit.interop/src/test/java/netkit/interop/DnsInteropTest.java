package netkit.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import netkit.api.SockAddr;
import netkit.api.netdb.HostEntry;
import netkit.api.netdb.HostError;
import netkit.api.netdb.NetDbException;
import netkit.api.netdb.ResolverCounter;
import netkit.dns.Resolver;
import netkit.dns.ResolverSettings;
import netkit.link.vxlan.VxlanDriver;
import netkit.stack.Stack;
import netkit.stack.StackSettings;
import netkit.stack.iface.InterfaceConfig;
import netkit.tcp.TcpProtocol;
import netkit.udp.UdpProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * netkit's resolver against dnsmasq (Debian package dnsmasq-base) serving DNS on the kernel side of
 * the VXLAN: A records from {@code --host-record}, a CNAME, the PTR dnsmasq derives from a host
 * record, NXDOMAIN, and a name with 40 addresses that does not fit 512 bytes (TC, then TCP). A
 * capture of the exchange is decoded by tshark: DNS on both transports, nothing malformed.
 */
class DnsInteropTest {
    private static final String DNSMASQ_LOG = "/tmp/netkit-dnsmasq-" + ProcessHandle.current().pid() + ".log";
    private static final int BIG = 40;
    private static PeerNamespace peer;
    private static Stack stack;
    private static Resolver resolver;
    private static Process dnsmasq;
    private static final StringBuilder whyNot = new StringBuilder();

    @BeforeAll
    static void up() throws Exception {
        if (!PeerNamespace.run("sh", "-c", "command -v dnsmasq").output().contains("dnsmasq")) {
            whyNot.append("dnsmasq is not installed (.ci/run installs dnsmasq-base)");
            return;
        }
        peer = PeerNamespace.create("dn", whyNot);
        if (peer == null) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of("dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null",
                "--no-resolv", "--no-hosts", "--bind-interfaces", "--listen-address=" + PeerNamespace.PEER_ADDR,
                "--port=53", "--user=root", "--pid-file=/tmp/netkit-dnsmasq-" + ProcessHandle.current().pid() + ".pid",
                "--log-queries", "--log-facility=" + DNSMASQ_LOG,
                "--host-record=peer.netkit.test," + PeerNamespace.PEER_ADDR,
                "--cname=www.netkit.test,peer.netkit.test", "--local=/netkit.test/"));
        for (int i = 1; i <= BIG; i++) {
            cmd.add("--host-record=big.netkit.test,192.0.2." + i);
        }
        dnsmasq = peer.start(cmd.toArray(new String[0]));
        stack = new Stack("interop-dns", null, StackSettings.defaults(), 43);
        stack.addDriver(new VxlanDriver());
        stack.addProtocol(new UdpProtocol());
        stack.addProtocol(new TcpProtocol());
        stack.configure(new InterfaceConfig("vx0", "vxlan", SockAddr.parseAddress(PeerNamespace.NETKIT_ADDR), 24,
                1500, 0, 0, true, Map.of("local", PeerNamespace.HOST_VETH_ADDR + ":4789", "remote",
                        PeerNamespace.PEER_VETH_ADDR + ":4789", "vni", "42")));
        resolver = newResolver();
        Thread.sleep(500); // dnsmasq binds its sockets
    }

    private static Resolver newResolver() {
        return new Resolver(stack.sockets("resolver"), stack.context().loop()::nanoTime, new SecureRandom(),
                () -> List.of(SockAddr.parseAddress(PeerNamespace.NETKIT_ADDR)), "netkit",
                ResolverSettings.builder().nameServers(PeerNamespace.PEER_ADDR).search("netkit.test")
                        .timeoutMillis(2000).attempts(3).build());
    }

    @BeforeEach
    void needsTheNamespace() {
        Assumptions.assumeTrue(peer != null, "dns interop skipped: " + whyNot);
        assertTrue(dnsmasq.isAlive(), "dnsmasq exited: " + output(dnsmasq));
    }

    @AfterAll
    static void down() throws Exception {
        if (dnsmasq != null) {
            dnsmasq.destroy();
            dnsmasq.waitFor(5, TimeUnit.SECONDS);
        }
        if (stack != null) {
            stack.close();
        }
        if (peer != null) {
            peer.close();
        }
        Files.deleteIfExists(Path.of(DNSMASQ_LOG));
        Files.deleteIfExists(Path.of("/tmp/netkit-dnsmasq-" + ProcessHandle.current().pid() + ".pid"));
    }

    private static String output(Process p) {
        try {
            return p.isAlive() ? "" : new String(p.getInputStream().readAllBytes());
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    @Test
    void namesAndAddressesFromDnsmasq() throws Exception {
        int peerAddr = SockAddr.parseAddress(PeerNamespace.PEER_ADDR);
        assertEquals(new HostEntry("peer.netkit.test", List.of(), List.of(peerAddr)),
                resolver.gethostbyname("peer.netkit.test"));
        assertEquals(new HostEntry("peer.netkit.test", List.of("www.netkit.test"), List.of(peerAddr)),
                resolver.gethostbyname("www"), "through the search list and the CNAME");
        assertEquals("peer.netkit.test", resolver.gethostbyaddr(peerAddr).name());
        try {
            resolver.gethostbyname("nosuch.netkit.test.");
            throw new AssertionError("resolved");
        } catch (NetDbException e) {
            assertEquals(HostError.HOST_NOT_FOUND, e.error());
        }
        assertEquals(BIG, resolver.gethostbyname("big.netkit.test").addresses().size());
        assertTrue(resolver.statistics().get(ResolverCounter.TRUNCATED) >= 1, "dnsmasq truncated the big answer");
        assertEquals(0, resolver.statistics().get(ResolverCounter.MALFORMED));
        assertEquals(0, resolver.statistics().get(ResolverCounter.WRONG_ID));
    }

    @Test
    void tsharkDecodesTheExchangeWithNothingMalformed() throws Exception {
        Assumptions.assumeTrue(PeerNamespace.run("sh", "-c", "command -v dumpcap && command -v tshark").exit() == 0,
                "tshark is not installed (.ci/run installs it)");
        Path pcap = Path.of("/tmp", "netkit-dns-" + ProcessHandle.current().pid() + ".pcapng");
        Files.deleteIfExists(pcap);
        Process dumpcap = new ProcessBuilder("ip", "netns", "exec", peer.ns, "dumpcap", "-q", "-i", "vx0", "-w",
                pcap.toString()).redirectErrorStream(true).start();
        try {
            Thread.sleep(1500);
            Resolver fresh = newResolver(); // an empty cache: every name is asked on the wire
            fresh.gethostbyname("peer.netkit.test.");
            fresh.gethostbyaddr(SockAddr.parseAddress("192.0.2.7"));
            HostEntry big = fresh.gethostbyname("big.netkit.test");
            assertEquals(BIG, big.addresses().size());
            Thread.sleep(1500);
        } finally {
            dumpcap.destroy();
        }
        assertTrue(dumpcap.waitFor(10, TimeUnit.SECONDS));
        try {
            PeerNamespace.Result expert = PeerNamespace.run("tshark", "-r", pcap.toString(), "-o",
                    "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-q", "-z", "expert");
            assertEquals(0, expert.exit(), expert.output());
            assertTrue(!expert.output().toLowerCase().contains("malformed"), expert.output());
            assertTrue(!expert.output().toLowerCase().contains("bad checksum"), expert.output());
            String dns = PeerNamespace.run("sh", "-c", "tshark -r " + pcap
                    + " -Y dns -T fields -e frame.protocols -e dns.flags.response -e dns.qry.name -e dns.flags.truncated"
                    + " 2>/dev/null").output();
            assertTrue(dns.contains("udp:dns") && dns.contains("tcp:dns"), dns);
            assertTrue(dns.contains("big.netkit.test"), dns);
            assertTrue(dns.contains("7.2.0.192.in-addr.arpa"), dns);
        } finally {
            Files.deleteIfExists(pcap);
        }
    }
}
