package netkit.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import netkit.console.serve.ServeCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code netkit:send} against services of the same runtime (real-time loop, loopback). */
class SendCommandTest {
    private static final Pattern SENT = Pattern.compile("(\\d+) bytes in [0-9.]+ s, [0-9.]+ Gbit/s, sha256 ([0-9a-f]{64})");
    private static final Pattern BACK = Pattern.compile("received (\\d+) bytes back, sha256 ([0-9a-f]{64})");
    private final LiveStack net = new LiveStack();
    private final ServeCommands serve = new ServeCommands(net.sockets);
    private final SendCommand send = new SendCommand(net.sockets);

    private int port;

    @AfterEach
    void close() throws Exception {
        if (port != 0) {
            serve.serve("stop", port);
        }
        net.close();
    }

    /** What {@code send --bytes n} sends: its pattern, repeated. */
    private static String sha256OfPattern(long n) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        byte[] buf = SendCommand.pattern();
        for (long left = n; left > 0; left -= buf.length) {
            d.update(buf, 0, (int) Math.min(buf.length, left));
        }
        return HexFormat.of().formatHex(d.digest());
    }

    @Test
    void sendingToTheOwnEchoServiceCompletesWithEveryByteBack() throws Exception {
        serve.serve("tcp", "echo", port = 7007);
        int before = net.openSockets();
        long n = 8L << 20; // far more than the send and receive buffers of both ends together
        String out = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> send.send(n, "", "tcp", "127.0.0.1", 7007), "send to echo hangs");
        Matcher sent = SENT.matcher(out);
        Matcher back = BACK.matcher(out);
        assertTrue(sent.find(), out);
        assertTrue(back.find(), out);
        String expected = sha256OfPattern(n);
        assertEquals(n, Long.parseLong(sent.group(1)));
        assertEquals(expected, sent.group(2));
        assertEquals(n, Long.parseLong(back.group(1)), "every byte came back");
        assertEquals(expected, back.group(2), "and came back unchanged");
        assertEquals(before, net.openSockets(), "the sender's socket is closed");
    }

    @Test
    void sendingToASinkReportsNothingBack() throws Exception {
        serve.serve("tcp", "sink", port = 7009);
        String out = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> send.send(1 << 20, "", "tcp", "127.0.0.1", 7009));
        Matcher sent = SENT.matcher(out);
        assertTrue(sent.find(), out);
        assertEquals(1 << 20, Long.parseLong(sent.group(1)));
        assertEquals(sha256OfPattern(1 << 20), sent.group(2));
        assertTrue(!BACK.matcher(out).find(), "nothing came back: " + out);
    }
}
