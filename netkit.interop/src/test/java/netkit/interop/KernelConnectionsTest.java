package netkit.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import netkit.api.SockAddr;
import netkit.console.serve.ServeCommands;
import netkit.icmp.IcmpProtocol;
import netkit.link.vxlan.VxlanDriver;
import netkit.stack.Stack;
import netkit.stack.StackSettings;
import netkit.stack.iface.InterfaceConfig;
import netkit.tcp.TcpProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many kernel clients at once against netkit's {@code serve} (issue 11, "Connections"): in a
 * namespace of its own (names start with {@code nkc}), like {@link KernelInteropTest}.
 */
class KernelConnectionsTest {
    private static final int CLIENTS = 200;
    private static PeerNamespace peer;
    private static Stack stack;
    private static ServeCommands serve;
    private static final StringBuilder whyNot = new StringBuilder();

    /**
     * The kernel side: {@code CLIENTS} threads connect at once; each is up when a first line came
     * back (the server accepted it and serves it) and holds its connection until all are up; then
     * each sends a second line and reads the echo. Prints the tally, exits 0 when all were echoed.
     */
    private static final String CLIENT_SOURCE = """
            import java.io.*;
            import java.net.*;
            import java.util.*;
            import java.util.concurrent.*;
            import java.util.concurrent.atomic.*;

            public class EchoClients {
                public static void main(String[] a) throws Exception {
                    InetSocketAddress to = new InetSocketAddress(a[0], Integer.parseInt(a[1]));
                    int n = Integer.parseInt(a[2]);
                    CountDownLatch connected = new CountDownLatch(n);
                    CountDownLatch go = new CountDownLatch(1);
                    AtomicInteger up = new AtomicInteger();
                    AtomicInteger echoed = new AtomicInteger();
                    List<String> failures = Collections.synchronizedList(new ArrayList<>());
                    List<Thread> threads = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        int id = i;
                        Thread t = new Thread(() -> {
                            boolean counted = false;
                            try (Socket s = new Socket()) {
                                s.connect(to, 30000);
                                s.setSoTimeout(30000);
                                // Served means echoed: a connection the server has not accepted is not up.
                                if (!echo(s, "client " + id + " is up\\n", failures, id)) {
                                    return;
                                }
                                up.incrementAndGet();
                                connected.countDown();
                                counted = true;
                                go.await();
                                if (echo(s, "client " + id + " says hello through the tunnel\\n", failures, id)) {
                                    echoed.incrementAndGet();
                                }
                            } catch (Exception e) {
                                failures.add(id + ": " + e);
                            } finally {
                                if (!counted) {
                                    connected.countDown();
                                }
                            }
                        });
                        threads.add(t);
                    }
                    threads.forEach(Thread::start);
                    connected.await(20, TimeUnit.SECONDS);
                    int concurrent = up.get();
                    go.countDown();
                    for (Thread t : threads) {
                        t.join(45000);
                    }
                    System.out.println("connected-at-once=" + concurrent + " echoed=" + echoed.get() + " of " + n);
                    failures.stream().limit(10).forEach(System.out::println);
                    System.exit(echoed.get() == n && concurrent == n ? 0 : 1);
                }

                static boolean echo(Socket s, String text, List<String> failures, int id) throws IOException {
                    byte[] line = text.getBytes();
                    s.getOutputStream().write(line);
                    byte[] got = s.getInputStream().readNBytes(line.length);
                    if (!Arrays.equals(line, got)) {
                        failures.add(id + ": echo differs: " + new String(got));
                        return false;
                    }
                    return true;
                }
            }
            """;

    @BeforeAll
    static void up() {
        peer = PeerNamespace.create("nkc", whyNot);
        if (peer == null) {
            return;
        }
        stack = new Stack("interop-conns", null, StackSettings.defaults(), 43);
        stack.addDriver(new VxlanDriver());
        stack.addProtocol(new TcpProtocol());
        stack.addProtocol(new IcmpProtocol());
        stack.configure(new InterfaceConfig("vx0", "vxlan", SockAddr.parseAddress(PeerNamespace.NETKIT_ADDR), 24,
                1500, 0, 0, true, Map.of("local", PeerNamespace.HOST_VETH_ADDR + ":4789", "remote",
                        PeerNamespace.PEER_VETH_ADDR + ":4789", "vni", "42")));
        serve = new ServeCommands(stack.sockets("serve"));
    }

    @BeforeEach
    void needsTheNamespace() {
        Assumptions.assumeTrue(peer != null, "kernel interop skipped: cannot build a namespace here: " + whyNot);
    }

    @AfterAll
    static void down() {
        if (stack != null) {
            stack.close();
        }
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    void twoHundredConcurrentKernelClientsAreAllEchoed(@TempDir Path dir) throws Exception {
        serve.serve("tcp", "echo", 7007);
        Files.createDirectories(dir);
        Path source = dir.resolve("EchoClients.java");
        Files.writeString(source, CLIENT_SOURCE);
        String java = ProcessHandle.current().info().command().orElse("java");
        PeerNamespace.Result r = peer.exec(java, source.toString(), PeerNamespace.NETKIT_ADDR, "7007",
                Integer.toString(CLIENTS));
        System.out.println("kernel clients: " + r.output().trim());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("connected-at-once=" + CLIENTS + " echoed=" + CLIENTS), r.output());
        assertEquals(0, stack.admin().statistics().tcp().get(netkit.api.stats.TcpCounter.OUT_RSTS),
                "no client was reset");
        serve.serve("stop", 7007);
    }

    /**
     * A host on the link that nobody is: netkit's connect fails with EHOSTUNREACH once ARP gives up
     * (about 3 s, not 63), and netkit:ping prints Linux ping's lines (Linux's own shown beside).
     */
    @Test
    void aDeadHostOnTheLinkIsUnreachableAfterArpFails() throws Exception {
        String dead = "192.168.77.99";
        netkit.api.SocketManager api = stack.sockets("dead-host");
        int c = api.socket(netkit.api.Net.AF_INET, netkit.api.Net.SOCK_STREAM, 0);
        long start = System.nanoTime();
        netkit.api.ErrnoException e = org.junit.jupiter.api.Assertions.assertThrows(netkit.api.ErrnoException.class,
                () -> api.connect(c, SockAddr.of(dead, 80)));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("netkit connect to a dead host: %s after %.2f s%n", e.errno(), seconds);
        assertEquals(netkit.api.Errno.EHOSTUNREACH, e.errno());
        assertTrue(seconds > 2.5 && seconds < 5, "about 3 s: " + seconds);
        api.closesocket(c);

        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream console = System.out;
        String summary;
        System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            // no reply comes: ping fails (Linux ping exits 1) after printing its statistics
            summary = "";
            netkit.console.shell.CommandFailure failed = org.junit.jupiter.api.Assertions.assertThrows(
                    netkit.console.shell.CommandFailure.class,
                    () -> new netkit.console.PingCommand(api).ping("-c", "3", "-W", "2", dead));
            assertEquals(0, ((netkit.console.PingResult) failed.result()).received());
        } finally {
            System.setOut(console);
        }
        String out = captured.toString(java.nio.charset.StandardCharsets.UTF_8) + summary;
        System.out.println("netkit:ping:\n" + out);
        System.out.println("Linux ping:\n" + peer.exec("ping", "-c", "3", "-W", "2", dead).output());
        for (int seq = 1; seq <= 3; seq++) {
            assertTrue(out.contains("From " + PeerNamespace.NETKIT_ADDR + " icmp_seq=" + seq
                    + " Destination Host Unreachable"), out);
        }
        assertTrue(out.contains("3 packets transmitted, 0 received, +3 errors, 100% packet loss"), out);
    }

    /**
     * Record Route both ways: Linux's ping -R to netkit gets the option back in the echo reply
     * (RFC 1122 §3.2.2.6), and netkit:ping -R prints the RR lines as Linux ping does.
     */
    @Test
    void recordRouteBothWays() throws Exception {
        PeerNamespace.Result linux = peer.exec("ping", "-R", "-c", "2", "-i", "0.3", "-W", "2",
                PeerNamespace.NETKIT_ADDR);
        System.out.println("Linux ping -R to netkit:\n" + linux.output());
        assertEquals(0, linux.exit(), linux.output());
        assertTrue(linux.output().contains("RR: \t" + PeerNamespace.PEER_ADDR + "\n\t" + PeerNamespace.NETKIT_ADDR
                + "\n\t" + PeerNamespace.NETKIT_ADDR + "\n\t" + PeerNamespace.PEER_ADDR), linux.output());

        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream console = System.out;
        String summary;
        System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            summary = new netkit.console.PingCommand(stack.sockets("rr")).ping("-c", "2", "-i", "0.3", "-W", "2", "-R",
                    PeerNamespace.PEER_ADDR).toString();
        } finally {
            System.setOut(console);
        }
        String out = captured.toString(java.nio.charset.StandardCharsets.UTF_8) + summary;
        System.out.println("netkit:ping -R to Linux:\n" + out);
        assertTrue(out.contains("56(124) bytes of data"), out);
        assertTrue(out.contains("RR: \t" + PeerNamespace.NETKIT_ADDR + "\n\t" + PeerNamespace.PEER_ADDR + "\n\t"
                + PeerNamespace.PEER_ADDR + "\n\t" + PeerNamespace.NETKIT_ADDR), out);
        assertTrue(out.contains("(same route)"), out);
        assertTrue(out.contains("2 received"), out);
    }
}
