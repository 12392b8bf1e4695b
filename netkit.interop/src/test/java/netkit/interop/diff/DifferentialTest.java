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
     * The MTU of the kernel's {@code vx0}: VXLAN's 50 bytes below the 1550 of the veth under it
     * ({@link PeerNamespace}); netkit's interface gets the same, so both announce the MSS of one MTU.
     */
    private static final int KERNEL_VX0_MTU = 1500;
    /** How often a case runs at most while the stacks answer differently and unlisted. */
    private static final int ATTEMPTS = 3;

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
            servers.add(peer.start("socat", "TCP-LISTEN:" + Conversation.CLOSING_PORT + ",reuseaddr,fork", "EXEC:true"));
            servers.add(peer.start("socat", "-u", "UDP-RECV:" + Conversation.UDP_PORT, "OPEN:/dev/null"));
            stack = netkitStack();
            awaitTcpListener(peer, Conversation.LISTEN_PORT);
            awaitTcpListener(peer, Conversation.CLOSING_PORT);
            Map<String, AllowedDifference> allowed = AllowedDifference.parse(read(ALLOW_LIST));
            Map<String, List<String>> linux;
            Map<String, List<String>> netkit;
            try (VtepProbe k = new VtepProbe(new InetSocketAddress(PeerNamespace.HOST_VETH_ADDR, 4789),
                    new InetSocketAddress(PeerNamespace.PEER_VETH_ADDR, 4789));
                    VtepProbe n = new VtepProbe(new InetSocketAddress("127.0.0.1", 4797),
                            new InetSocketAddress("127.0.0.1", 4798))) {
                linux = runAll(k, "linux");
                netkit = runAll(n, "netkit");
                retryUnlisted(k, n, linux, netkit, allowed);
            }
            compare(linux, netkit, allowed);
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
        List<Conversation> conversations = new ArrayList<>();
        int port = 40000;
        // warm-up, not compared: the first answer of a stack (neighbour entry, class loading, JIT)
        // may take longer than a case waits
        Conversation warmUp = new Conversation(probe, 39999);
        warmUp.tcp(Conversation.CLOSED_PORT, Frames.SYN, 0, 0, 65535, Frames.mssOption(1400), new byte[0]);
        warmUp.expect("warm-up", 1000, 5000);
        long start = System.nanoTime();
        for (DiffCases.Case c : DiffCases.all()) {
            Conversation conv = run(probe, c, port++);
            conversations.add(conv);
            out.put(c.name(), conv.transcript());
        }
        long cases = System.nanoTime() - start;
        for (Conversation conv : conversations) {
            conv.finishLate(); // the reassembly timeout's answer, 30 s after its case began
        }
        System.out.println(side + ": " + out.size() + " cases in " + cases / 1_000_000 + " ms, "
                + (System.nanoTime() - start) / 1_000_000 + " ms with the late answers");
        return out;
    }

    private static Conversation run(VtepProbe probe, DiffCases.Case c, int port) throws Exception {
        Conversation conv = new Conversation(probe, port);
        try {
            c.script().run(conv);
        } catch (IllegalStateException e) {
            conv.transcript().add("aborted: " + e.getMessage());
        }
        return conv;
    }

    /**
     * Runs a case again on both stacks, from a fresh port, while the two answer differently and the
     * difference is not listed ({@value #ATTEMPTS} attempts in all): a case waits 150 ms for quiet,
     * and on a loaded machine a stack (or the kernel's echo process) may now and then answer later
     * than that. Every attempt is printed; a difference that stays fails the test as before. Cases
     * with a late answer (the 30 s reassembly timeout) are not repeated.
     */
    private static void retryUnlisted(VtepProbe k, VtepProbe n, Map<String, List<String>> linux,
            Map<String, List<String>> netkit, Map<String, AllowedDifference> allowed) throws Exception {
        int port = 41000;
        for (DiffCases.Case c : DiffCases.all()) {
            for (int attempt = 2; attempt <= ATTEMPTS && !agreeOrListed(c.name(), linux, netkit, allowed); attempt++) {
                System.out.println("attempt " + attempt + " of " + c.name() + " (differently and not listed:\n  linux:  "
                        + String.join(" | ", linux.get(c.name())) + "\n  netkit: " + String.join(" | ", netkit.get(c.name()))
                        + ")");
                Conversation l = run(k, c, port);
                Conversation nk = run(n, c, port++);
                if (l.waitsLate() || nk.waitsLate()) {
                    break;
                }
                linux.put(c.name(), l.transcript());
                netkit.put(c.name(), nk.transcript());
            }
        }
    }

    private static boolean agreeOrListed(String name, Map<String, List<String>> linux, Map<String, List<String>> netkit,
            Map<String, AllowedDifference> allowed) {
        String l = String.join(" | ", linux.get(name));
        String n = String.join(" | ", netkit.get(name));
        AllowedDifference a = allowed.get(name);
        return l.equals(n) || a != null && a.linux().equals(l) && a.netkit().equals(n);
    }

    /** A netkit stack at the kernel's address with the same two servers, its VXLAN link on the loopback. */
    private static Stack netkitStack() throws ErrnoException {
        Stack stack = new Stack("diff", null, StackSettings.defaults(), 42);
        stack.addDriver(new VxlanDriver());
        stack.addProtocol(new TcpProtocol());
        stack.addProtocol(new UdpProtocol());
        stack.addProtocol(new IcmpProtocol());
        stack.configure(new InterfaceConfig("vx0", "vxlan", SockAddr.parseAddress(VtepProbe.TARGET), 24, KERNEL_VX0_MTU, 0, 0, true,
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
        int closing = api.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        api.setsockopt(closing, Net.SOL_SOCKET, Net.SO_REUSEADDR, 1);
        api.bind(closing, SockAddr.of(0, Conversation.CLOSING_PORT));
        api.listen(closing, 16);
        Thread closer = new Thread(() -> {
            try {
                while (true) {
                    api.closesocket(api.accept(closing).token()); // the target closes first: TIME_WAIT is its
                }
            } catch (ErrnoException | RuntimeException e) {
                // the stack closed
            }
        }, "diff-closer");
        closer.setDaemon(true);
        closer.start();
        return stack;
    }

    private static void echo(SocketManager api, int c) {
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = api.recv(c, buf, 0, buf.length, 0)) > 0;) {
                api.send(c, buf, 0, n, 0);
            }
        } catch (ErrnoException | RuntimeException e) {
            // reset or closed
        } finally {
            try {
                api.closesocket(c); // also after a reset: an open accepted socket holds one of the backlog's slots
            } catch (ErrnoException | RuntimeException e) {
                // the stack closed
            }
        }
    }

    private static void compare(Map<String, List<String>> linux, Map<String, List<String>> netkit,
            Map<String, AllowedDifference> allowed) {
        allowed = new LinkedHashMap<>(allowed);
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
