package netkit.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import netkit.console.shell.CommandFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Linux ping's habits (#14): options glued to their values ({@code -c1}, {@code -W1}, {@code -i0.2})
 * as well as apart, failure (exit status 1) after the statistics when no reply came, and iputils'
 * error lines.
 */
class PingHabitsTest {
    /** 10.0.0.1 pings; 10.0.0.2 answers; 10.0.0.3 has no ICMP: protocol unreachable instead of replies. */
    private final WireNet net = new WireNet(3, 2);
    private final PingCommand ping = new PingCommand(net.stack(0).sockets("ping"));

    @AfterEach
    void close() {
        net.close();
    }

    @Test
    void gluedAndSeparateOptionsAlike() throws Exception {
        PingResult glued = ping.ping("-c1", "-W1", "-i0.2", "-s16", "-t9", WireNet.quad(1));
        assertEquals(1, glued.transmitted());
        assertEquals(1, glued.received());
        PingResult apart = ping.ping("-c", "2", "-i", "0.2", WireNet.quad(1));
        assertEquals(2, apart.received());
        assertTrue(apart.toString().startsWith("\n--- 10.0.0.2 ping statistics ---\n2 packets transmitted, 2 received, "
                + "0% packet loss, time "), apart.toString());
        assertTrue(apart.avg() > 0 && apart.min() <= apart.max());
    }

    @Test
    void noReplyFailsAfterTheStatistics() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream console = System.out;
        CommandFailure f;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            f = assertThrows(CommandFailure.class, () -> ping.ping("-c1", "-W0.5", WireNet.quad(2)));
        } finally {
            System.setOut(console);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("PING 10.0.0.3 (10.0.0.3) 56(84) bytes of data.\n"
                + "From 10.0.0.3 icmp_seq=1 Destination Protocol Unreachable\n\n--- 10.0.0.3 ping statistics ---\n"
                + "1 packets transmitted, 0 received, +1 errors, 100% packet loss, time "), out);
        assertTrue(out.endsWith("ms\n"), "no rtt line without replies: " + out);
        PingResult r = (PingResult) f.result();
        assertEquals(1, r.transmitted());
        assertEquals(0, r.received());
        assertEquals(100, r.lossPercent());
    }

    @Test
    void iputilsErrorLines() {
        assertEquals("ping: usage error: Destination address required",
                assertThrows(IllegalArgumentException.class, () -> ping.ping("-c1")).getMessage());
        assertEquals("ping: invalid option -- 'x'",
                assertThrows(IllegalArgumentException.class, () -> ping.ping("-x", WireNet.quad(1))).getMessage());
        assertEquals("ping: option requires an argument -- 'c'",
                assertThrows(IllegalArgumentException.class, () -> ping.ping(WireNet.quad(1), "-c")).getMessage());
        assertEquals("ping: connect: Network is unreachable",
                assertThrows(IllegalStateException.class, () -> ping.ping("-c1", "192.168.99.1")).getMessage());
    }
}
