package netkit.interop.diff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.icmp.IcmpProtocol;
import netkit.interop.PeerNamespace;
import netkit.link.vxlan.VxlanDriver;
import netkit.stack.Stack;
import netkit.stack.StackSettings;
import netkit.stack.iface.InterfaceConfig;
import netkit.tcp.TcpProtocol;
import netkit.udp.UdpProtocol;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A differential test in the style of gVisor's packetimpact: every case of {@link DiffCases} sends
 * the same crafted frames to the Linux kernel (through its VXLAN device in a namespace) and to a
 * netkit stack (through its VXLAN link on the loopback), both with a TCP echo server on
 * {@value Conversation#LISTEN_PORT} and a bound UDP port {@value Conversation#UDP_PORT}; the answers
 * are normalised ({@link Conversation}) and compared. Every difference must be listed in
 * {@code differences.md} next to this class, with the RFC text that allows both behaviours or as a
 * known netkit bug with its issue; an unlisted (or changed) difference fails the test.
 */
class DifferentialTest {
    private static final String ALLOW_LIST = "differences.md";

    /**
     * Waits (up to 10 s) until the kernel in the namespace listens on {@code port}: a fixed 500 ms
     * was too short on a loaded machine, and Linux then answered the SYNs with RST (every TCP case
     * "different").
     */
    private static void awaitTcpListener(PeerNamespace peer, int port) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!peer.exec("ss", "-Hltn", "sport = :" + port).output().contains(":" + port)) {
            if (System.nanoTime() > until) {
                throw new AssertionError("socat in the namespace does not listen on " + port);
            }
            Thread.sleep(50);
        }
        Thread.sleep(100); // the UDP receiver started at the same time
    }

    @Test
    void netkitAnswersAsLinuxDoesOrAsListed() throws Exception {
        StringBuilder whyNot = new StringBuilder();
        PeerNamespace peer = PeerNamespace.create("df", whyNot);
        Assumptions.assumeTrue(peer != null, "differential test skipped: cannot build a namespace here: " + whyNot);
        List<Process> servers = new ArrayList<>();
        Stack stack = null;
        try {
            servers.add(peer.start("socat", "TCP-LISTEN:" + Conversation.LISTEN_PORT + ",reuseaddr,fork", "EXEC:cat"));
            servers.add(peer.start("socat", "-u", "UDP-RECV:" + Conversation.UDP_PORT, "OPEN:/dev/null"));
            stack = netkitStack();
            awaitTcpListener(peer, Conversation.LISTEN_PORT);
            Map<String, List<String>> linux;
            Map<String, List<String>> netkit;
            try (VtepProbe k = new VtepProbe(new InetSocketAddress(PeerNamespace.HOST_VETH_ADDR, 4789),
                    new InetSocketAddress(PeerNamespace.PEER_VETH_ADDR, 4789))) {
                linux = runAll(k, "linux");
            }
            try (VtepProbe n = new VtepProbe(new InetSocketAddress("127.0.0.1", 4797),
                    new InetSocketAddress("127.0.0.1", 4798))) {
                netkit = runAll(n, "netkit");
            }
            compare(linux, netkit);
        } finally {
            for (Process p : servers) {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            if (stack != null) {
                stack.close();
            }
            peer.close();
        }
    }

    private static Map<String, List<String>> runAll(VtepProbe probe, String side) throws Exception {
        assertTrue(probe.resolveTarget(5000), side + " answered no ARP request for " + VtepProbe.TARGET);
        Map<String, List<String>> out = new LinkedHashMap<>();
        int port = 40000;
        for (DiffCases.Case c : DiffCases.all()) {
            Conversation conv = new Conversation(probe, port++);
            try {
                c.script().run(conv);
            } catch (IllegalStateException e) {
                conv.transcript().add("aborted: " + e.getMessage());
            }
            out.put(c.name(), conv.transcript());
        }
        return out;
    }

    /** A netkit stack at the kernel's address with the same two servers, its VXLAN link on the loopback. */
    private static Stack netkitStack() throws ErrnoException {
        Stack stack = new Stack("diff", null, StackSettings.defaults(), 42);
        stack.addDriver(new VxlanDriver());
        stack.addProtocol(new TcpProtocol());
        stack.addProtocol(new UdpProtocol());
        stack.addProtocol(new IcmpProtocol());
        stack.configure(new InterfaceConfig("vx0", "vxlan", SockAddr.parseAddress(VtepProbe.TARGET), 24, 0, 0, 0, true,
                Map.of("local", "127.0.0.1:4798", "remote", "127.0.0.1:4797", "vni", "42")));
        SocketManager api = stack.sockets("diff");
        int u = api.socket(Net.AF_INET, Net.SOCK_DGRAM, 0);
        api.bind(u, SockAddr.of(0, Conversation.UDP_PORT));
        int l = api.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        api.setsockopt(l, Net.SOL_SOCKET, Net.SO_REUSEADDR, 1);
        api.bind(l, SockAddr.of(0, Conversation.LISTEN_PORT));
        api.listen(l, 16);
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    int c = api.accept(l).token();
                    Thread echo = new Thread(() -> echo(api, c), "diff-echo");
                    echo.setDaemon(true);
                    echo.start();
                }
            } catch (ErrnoException | RuntimeException e) {
                // the stack closed
            }
        }, "diff-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return stack;
    }

    private static void echo(SocketManager api, int c) {
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = api.recv(c, buf, 0, buf.length, 0)) > 0;) {
                api.send(c, buf, 0, n, 0);
            }
            api.closesocket(c);
        } catch (ErrnoException | RuntimeException e) {
            // reset or closed
        }
    }

    private static void compare(Map<String, List<String>> linux, Map<String, List<String>> netkit) throws IOException {
        Map<String, AllowedDifference> allowed = AllowedDifference.parse(read(ALLOW_LIST));
        int same = 0;
        int different = 0;
        int bugs = 0;
        List<String> unjustified = new ArrayList<>();
        for (String name : linux.keySet()) {
            String l = String.join(" | ", linux.get(name));
            String n = String.join(" | ", netkit.get(name));
            AllowedDifference a = allowed.remove(name);
            if (l.equals(n)) {
                same++;
                System.out.println("same      " + name + ": " + l);
                if (a != null) {
                    System.out.println("  (stale entry in " + ALLOW_LIST + ": the stacks now agree)");
                }
                continue;
            }
            different++;
            System.out.println("different " + name + "\n  linux:  " + l + "\n  netkit: " + n);
            if (a == null || !a.linux().equals(l) || !a.netkit().equals(n)) {
                unjustified.add("## " + name + "\n- linux: `" + l + "`\n- netkit: `" + n + "`\n"
                        + (a == null ? "(not listed)" : "(listed with other answers)"));
            } else if (a.bug()) {
                bugs++;
                System.out.println("  known netkit bug: " + a.status());
            }
        }
        for (String stale : allowed.keySet()) {
            System.out.println("(entry for unknown case in " + ALLOW_LIST + ": " + stale + ")");
        }
        String verdict = !unjustified.isEmpty() ? unjustified.size() + " not listed"
                : bugs == 0 ? "all justified" : "all listed: " + (different - bugs) + " justified, " + bugs + " known netkit bugs";
        System.out.println("differential: " + linux.size() + " cases, " + same + " same, " + different + " different ("
                + verdict + ")");
        assertTrue(unjustified.isEmpty(), "differences not in " + ALLOW_LIST + ":\n" + String.join("\n\n", unjustified));
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = DifferentialTest.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no " + resource + " next to " + DifferentialTest.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
