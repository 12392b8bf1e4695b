package netkit.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import netkit.api.stats.IcmpCounter;
import netkit.stack.StackSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code netkit:traceroute} on a simulated wire (#14): UDP probes to 33434 and up, the port
 * unreachable each draws from the destination read through IP_RECVERR, Linux traceroute's lines.
 * netkit hosts do not forward (RFC 1122 §3.3.1), so a route between two netkit hosts is one hop;
 * host 10.0.0.3 sends one ICMP error and then none (burst 1, rate 1e-6), which the test uses up first, so its probes time out ({@code *}).
 */
class TracerouteTest {
    private final WireNet net = new WireNet(3,
            i -> i == 2 ? StackSettings.builder().icmpErrorsPerSecond(1e-6).icmpErrorBurst(1).build()
                    : StackSettings.defaults());
    private final TracerouteCommand traceroute = new TracerouteCommand(net.stack(0).sockets("traceroute"));

    @AfterEach
    void close() {
        net.close();
    }

    private static <T> String printed(Callable<T> command, Object[] result) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream console = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            result[0] = command.call();
        } finally {
            System.setOut(console);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void oneHopToANeighbourLikeLinux() throws Exception {
        Object[] r = new Object[1];
        String out = printed(() -> traceroute.traceroute("-n", WireNet.quad(1)), r);
        assertTrue(out.matches("traceroute to 10\\.0\\.0\\.2 \\(10\\.0\\.0\\.2\\), 30 hops max, 60 byte packets\n"
                + " 1  10\\.0\\.0\\.2  \\d+\\.\\d{3} ms  \\d+\\.\\d{3} ms  \\d+\\.\\d{3} ms\n"), out);
        TracerouteResult t = (TracerouteResult) r[0];
        assertTrue(t.reached());
        assertEquals(1, t.hops().size());
        assertEquals(3, t.hops().get(0).probes().size());
        assertEquals(out, t.text());
        assertEquals("", t.toString(), "printed already");
        assertEquals(3, net.stack(1).admin().statistics().icmp().get(IcmpCounter.OUT_DEST_UNREACHS),
                "a port unreachable per probe");
        String named = printed(() -> traceroute.traceroute("-q1", "-m", "5", WireNet.quad(1)), r);
        assertTrue(named.matches("traceroute to 10\\.0\\.0\\.2 \\(10\\.0\\.0\\.2\\), 5 hops max, 60 byte packets\n"
                + " 1  10\\.0\\.0\\.2 \\(10\\.0\\.0\\.2\\)  \\d+\\.\\d{3} ms\n"), "no resolver: the address twice\n" + named);
    }

    @Test
    void silentHopsAreStars() throws Exception {
        netkit.api.SocketManager h0 = net.stack(0).sockets("spend");
        int u = h0.socket(netkit.api.Net.AF_INET, netkit.api.Net.SOCK_DGRAM, 0);
        h0.sendto(u, new byte[1], 0, 1, 0, netkit.api.SockAddr.of(WireNet.address(2), 9)); // its one ICMP error
        long end = System.nanoTime() + 5_000_000_000L;
        while (net.stack(2).admin().statistics().icmp().get(IcmpCounter.OUT_DEST_UNREACHS) == 0) {
            assertTrue(System.nanoTime() < end, "the first error never went");
            Thread.sleep(10);
        }
        Object[] r = new Object[1];
        String out = printed(() -> traceroute.traceroute("-n", "-m2", "-q", "2", "-w0.2", WireNet.quad(2)), r);
        assertEquals("traceroute to 10.0.0.3 (10.0.0.3), 2 hops max, 60 byte packets\n 1  * *\n 2  * *\n", out);
        assertFalse(((TracerouteResult) r[0]).reached());
    }

    @Test
    void optionsAreChecked() {
        assertEquals("traceroute: -m must be 1..255, got '0'", assertThrows(IllegalArgumentException.class,
                () -> traceroute.traceroute("-m0", WireNet.quad(1))).getMessage());
        assertEquals("traceroute: invalid option -- 'x'", assertThrows(IllegalArgumentException.class,
                () -> traceroute.traceroute("-x", WireNet.quad(1))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> traceroute.traceroute()).getMessage()
                .startsWith("traceroute: usage: traceroute [-n]"));
    }

    @Test
    void annotationsOfLinuxTraceroute() {
        assertEquals("", TracerouteCommand.annotation(3, 3, 0, true));
        assertEquals("!H", TracerouteCommand.annotation(3, 1, 0, false));
        assertEquals("!N", TracerouteCommand.annotation(3, 0, 0, false));
        assertEquals("!P", TracerouteCommand.annotation(3, 2, 0, true));
        assertEquals("!F-1400", TracerouteCommand.annotation(3, 4, 1400, false));
        assertEquals("", TracerouteCommand.annotation(11, 0, 0, false));
    }
}
