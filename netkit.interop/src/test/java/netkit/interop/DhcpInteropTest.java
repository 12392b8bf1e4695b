package netkit.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.api.admin.InterfaceStatus;
import netkit.api.wire.IcmpHeader;
import netkit.console.PingCommand;
import netkit.console.names.NameLookup;
import netkit.dhcp.DhcpClient;
import netkit.dhcp.DhcpLease;
import netkit.dhcp.DhcpState;
import netkit.dns.Resolver;
import netkit.dns.ResolverSettings;
import netkit.icmp.IcmpProtocol;
import netkit.link.vxlan.VxlanDriver;
import netkit.stack.Stack;
import netkit.stack.StackSettings;
import netkit.stack.iface.InterfaceConfig;
import netkit.udp.UdpProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * netkit's DHCP client against dnsmasq (a real server) in the kernel namespace, over the VXLAN path
 * of the README walk-through: lease, pings both ways, renewal at T1 (dnsmasq's shortest lease, two
 * minutes, so T1 comes after one), release; tshark decodes the exchange without malformed packets.
 */
class DhcpInteropTest {
    private static final String NETDB_NAME = "peer.netkit.test";
    private static PeerNamespace peer;
    private static Stack stack;
    private static Process dnsmasq;
    private static Path leases;
    private static final StringBuilder whyNot = new StringBuilder();

    @BeforeAll
    static void up() throws Exception {
        if (PeerNamespace.run("sh", "-c", "command -v dnsmasq").exit() != 0) {
            whyNot.append("dnsmasq is not installed (.ci/run installs dnsmasq-base)");
            return;
        }
        peer = PeerNamespace.create("dh", whyNot);
        if (peer == null) {
            return;
        }
        leases = Files.createTempFile("netkit-dnsmasq", ".leases");
        dnsmasq = peer.start("dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--user=root", "--interface=vx0",
                "--bind-interfaces", "--dhcp-authoritative", "--log-dhcp", "--dhcp-leasefile=" + leases,
                "--dhcp-range=192.168.77.50,192.168.77.60,255.255.255.0,2m",
                "--dhcp-option=option:router," + PeerNamespace.PEER_ADDR,
                "--dhcp-option=option:dns-server," + PeerNamespace.PEER_ADDR, "--domain=netkit.test",
                "--address=/" + NETDB_NAME + "/" + PeerNamespace.PEER_ADDR);
        stack = new Stack("dhcp-interop", null, StackSettings.defaults(), 16);
        stack.addDriver(new VxlanDriver());
        stack.addProtocol(new UdpProtocol());
        stack.addProtocol(new IcmpProtocol());
        stack.configure(new InterfaceConfig("vx0", "vxlan", 0, 0, 1500, 0, 0, true, Map.of("local",
                PeerNamespace.HOST_VETH_ADDR + ":4789", "remote", PeerNamespace.PEER_VETH_ADDR + ":4789", "vni", "42")));
    }

    @AfterAll
    static void down() throws Exception {
        if (stack != null) {
            stack.close();
        }
        if (dnsmasq != null) {
            dnsmasq.destroy();
            dnsmasq.waitFor(5, TimeUnit.SECONDS);
        }
        if (peer != null) {
            peer.close();
        }
        if (leases != null) {
            Files.deleteIfExists(leases);
        }
    }

    private static InterfaceStatus vx0() {
        return stack.admin().interfaces().stream().filter(s -> s.name().equals("vx0")).findFirst().orElseThrow();
    }

    private static void await(String what, long seconds, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out: " + what);
            Thread.sleep(50);
        }
    }

    @Test
    void leasePingRenewAndReleaseAgainstDnsmasq() throws Exception {
        Assumptions.assumeTrue(peer != null, "DHCP interop skipped: " + whyNot);
        boolean tshark = PeerNamespace.run("sh", "-c", "command -v dumpcap && command -v tshark").exit() == 0;
        Path pcap = Path.of("/tmp", "netkit-dhcp-" + ProcessHandle.current().pid() + ".pcapng");
        Files.deleteIfExists(pcap);
        Process dumpcap = tshark ? new ProcessBuilder("ip", "netns", "exec", peer.ns, "dumpcap", "-q", "-i", "vx0",
                "-f", "udp port 67 or udp port 68 or arp or icmp", "-w", pcap.toString()).redirectErrorStream(true)
                .start() : null;
        Thread.sleep(1500);
        DhcpClient dhcp = new DhcpClient(stack.autoconf(), stack.admin(), "vx0", (i, l) -> { });
        long start = System.nanoTime();
        dhcp.start();
        await("a lease from dnsmasq", 30, () -> dhcp.state() == DhcpState.BOUND);
        double seconds = (System.nanoTime() - start) / 1e9;
        DhcpLease lease = dhcp.lease();
        System.out.printf("DHCP interop: leased %s/%d from dnsmasq in %.1f s (T1 %d s, lease %d s)%n",
                SockAddr.formatAddress(lease.address()), lease.prefix(), seconds,
                (lease.renewNanos() - lease.startNanos()) / 1_000_000_000L,
                (lease.expiresNanos() - lease.startNanos()) / 1_000_000_000L);
        int leased = lease.address();
        assertTrue(leased >= SockAddr.parseAddress("192.168.77.50") && leased <= SockAddr.parseAddress("192.168.77.60"));
        assertEquals(24, lease.prefix());
        assertEquals(SockAddr.parseAddress(PeerNamespace.PEER_ADDR), lease.router());
        assertEquals(List.of(SockAddr.parseAddress(PeerNamespace.PEER_ADDR)), lease.nameServers());
        assertEquals("netkit.test", lease.domainName());
        assertEquals(leased, vx0().address());
        assertNotNull(vx0().lease());
        assertTrue(Files.readString(leases).contains(SockAddr.formatAddress(leased)), "dnsmasq recorded the lease");

        // pings both ways on the leased address
        PeerNamespace.Result r = peer.exec("ping", "-c", "2", "-i", "0.2", "-W", "2", SockAddr.formatAddress(leased));
        assertEquals(0, r.exit(), r.output());
        SocketManager api = stack.sockets("dhcp-interop");
        int s = api.socket(Net.AF_INET, Net.SOCK_DGRAM, Net.IPPROTO_ICMP);
        api.setsockopt(s, Net.SOL_SOCKET, Net.SO_RCVTIMEO, 3000);
        byte[] echo = new byte[64];
        echo[0] = IcmpHeader.ECHO_REQUEST;
        api.sendto(s, echo, 0, 64, 0, SockAddr.of(PeerNamespace.PEER_ADDR, 0));
        byte[] reply = new byte[128];
        assertEquals(64, api.recvfrom(s, reply, 0, 128, 0, null));
        api.closesocket(s);

        // the name side of the lease (#16): a resolver that knows no server of its own takes dnsmasq and
        // the search domain from the lease, and netkit:ping reaches the kernel by a short name
        Resolver resolver = new Resolver(stack.sockets("dhcp-resolver"), stack.context().loop()::nanoTime,
                new SecureRandom(), () -> List.of(vx0().address()), "netkit", ResolverSettings.builder().build());
        resolver.sources(List.of(dhcp.resolverConfiguration()));
        assertEquals(List.of(SockAddr.parseAddress(PeerNamespace.PEER_ADDR)),
                resolver.gethostbyname(NETDB_NAME).addresses());
        String pinged = new PingCommand(stack.sockets("dhcp-ping"), NameLookup.of(resolver))
                .ping("-c", "3", "-i", "0.2", "-W", "2", "peer").toString();
        System.out.print("DHCP interop: netkit:ping -c 3 peer (search domain from the lease)" + pinged);
        assertTrue(pinged.contains("--- peer ping statistics ---"), pinged);
        assertTrue(pinged.contains("3 packets transmitted, 3 received"), pinged);

        // renewal at T1 (60 s into dnsmasq's two-minute lease): unicast, acknowledged, lease extended
        long firstExpiry = lease.expiresNanos();
        await("renewed at T1", 90, () -> dhcp.lease() != null && dhcp.lease().expiresNanos() > firstExpiry);
        assertEquals(DhcpState.BOUND, dhcp.state());
        assertEquals(leased, vx0().address());

        // release: the address leaves netkit and dnsmasq forgets the lease
        dhcp.stop(true);
        assertEquals(0, vx0().address());
        await("dnsmasq dropped the lease", 10, () -> {
            try {
                return !Files.readString(leases).contains(SockAddr.formatAddress(leased));
            } catch (java.io.IOException e) {
                return false;
            }
        });
        if (dumpcap != null) {
            Thread.sleep(1500);
            dumpcap.destroy();
            assertTrue(dumpcap.waitFor(10, TimeUnit.SECONDS));
            try {
                checkCapture(pcap);
            } finally {
                Files.deleteIfExists(pcap);
            }
        }
    }

    private static void checkCapture(Path pcap) throws Exception {
        PeerNamespace.Result expert = PeerNamespace.run("tshark", "-r", pcap.toString(), "-o",
                "udp.check_checksum:TRUE", "-q", "-z", "expert");
        assertEquals(0, expert.exit(), expert.output());
        assertTrue(!expert.output().toLowerCase().contains("malformed"), expert.output());
        assertTrue(!expert.output().toLowerCase().contains("bad checksum"), expert.output());
        PeerNamespace.Result types = PeerNamespace.run("sh", "-c", "tshark -r " + pcap
                + " -Y dhcp -T fields -e dhcp.option.dhcp 2>/dev/null | sort | uniq -c");
        System.out.println("DHCP messages in the capture (type: 1 DISCOVER, 2 OFFER, 3 REQUEST, 5 ACK, 7 RELEASE):\n"
                + types.output());
        for (String type : new String[] {"1", "2", "3", "5", "7"}) {
            assertTrue(types.output().matches("(?s).*\\s" + type + "\\n.*"), "type " + type + " in " + types.output());
        }
        PeerNamespace.Result probes = PeerNamespace.run("sh", "-c", "tshark -r " + pcap
                + " -Y 'arp.src.proto_ipv4 == 0.0.0.0' 2>/dev/null | wc -l");
        assertEquals("3", probes.output().trim(), "three RFC 5227 probes");
    }
}
