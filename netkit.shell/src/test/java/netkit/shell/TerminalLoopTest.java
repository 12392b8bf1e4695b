package netkit.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import netkit.console.LiveStack;
import netkit.console.PingCommand;
import netkit.console.SendCommand;
import netkit.console.shell.Interruptible;
import netkit.console.serve.ServeCommands;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The netkit shell on a JLine terminal fed by the test (keys in, screen out), with Gogo's real
 * command processor and the console's commands on a live stack.
 */
class TerminalLoopTest {
    private static final long WAIT_NANOS = 10_000_000_000L;
    private final LiveStack net = new LiveStack();
    private final ThreadIOImpl threadIO = new ThreadIOImpl();
    private final Screen screen = new Screen();
    private final PipedOutputStream keys = new PipedOutputStream();
    private Thread shell;

    /** What the terminal shows, waited on. */
    private static final class Screen extends ByteArrayOutputStream {
        synchronized String text() {
            return toString(StandardCharsets.UTF_8);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            super.write(b, off, len);
            notifyAll();
        }

        @Override
        public synchronized void write(int b) {
            super.write(b);
            notifyAll();
        }

        /** Waits until {@code s} shows at or after {@code from}; the index just past it. */
        synchronized int await(String s, int from) throws InterruptedException {
            long end = System.nanoTime() + WAIT_NANOS;
            int at;
            while ((at = text().indexOf(s, from)) < 0) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("'" + s + "' never showed; screen:\n" + text());
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return at + s.length();
        }
    }

    TerminalLoopTest() {
        threadIO.start();
    }

    @AfterEach
    void close() throws Exception {
        if (shell != null) {
            shell.interrupt();
            shell.join(5000);
        }
        threadIO.stop();
        net.close();
    }

    private void start(Object... commands) throws IOException {
        CommandProcessorImpl processor = new CommandProcessorImpl(threadIO);
        for (Object c : commands) {
            processor.addCommand("netkit", c);
        }
        ExternalTerminal terminal = new ExternalTerminal("test", "dumb", new PipedInputStream(keys, 4096), screen,
                StandardCharsets.UTF_8);
        TerminalLoop loop = new TerminalLoop(processor, terminal, null);
        shell = new Thread(loop::run, "test-shell");
        shell.start();
    }

    private void type(String s) throws IOException {
        keys.write(s.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    /** Ctrl-C after {@code shown} appeared (at or after {@code at}); where the prompt after the summary ends. */
    private int ctrlC(String shown, int at, String summary) throws Exception {
        at = screen.await(shown, at);
        long typed = System.nanoTime();
        type("\u0003"); // Ctrl-C: the terminal raises SIGINT
        at = screen.await(summary, at);
        at = screen.await("g! ", at);
        long millis = (System.nanoTime() - typed) / 1_000_000;
        assertTrue(millis < 2000, "the prompt came back after " + millis + " ms");
        return at;
    }

    private void exit() throws Exception {
        assertFalse(screen.text().contains("Exception"), screen.text());
        type("exit\n");
        shell.join(5000);
        assertFalse(shell.isAlive(), "exit leaves");
    }

    @Test
    void ctrlCEndsARunningPingWithItsStatisticsAndThePromptReturns() throws Exception {
        int before = net.openSockets();
        start(new PingCommand(net.sockets));
        int at = screen.await("g! ", 0);
        // Five times, replies printed every 10 ms: Ctrl-C often comes while ping writes a line.
        for (int i = 0; i < 5; i++) {
            type("netkit:ping -i 0.01 127.0.0.1\n");
            at = ctrlC("icmp_seq=" + (3 + i * 7) + " ", at, "--- 127.0.0.1 ping statistics ---");
            assertEquals(before, net.openSockets(), "ping's socket is closed");
        }
        exit();
    }

    /** A command that knows nothing of {@link Interruptible}. */
    public static final class Sleeper {
        public String nap() throws InterruptedException {
            Thread.sleep(60_000);
            return "slept";
        }
    }

    @Test
    void ctrlCInterruptsAnyOtherCommandTheWayGogoDoes() throws Exception {
        start(new Sleeper());
        int at = screen.await("g! ", 0);
        type("netkit:nap\n");
        at = screen.await("netkit:nap", at);
        Thread.sleep(200);
        ctrlC("", at, "");
        assertFalse(screen.text().contains("slept"), screen.text());
        exit();
    }

    @Test
    void ctrlCEndsASendThatWouldRunForeverAndThePromptReturns() throws Exception {
        ServeCommands serve = new ServeCommands(net.sockets);
        serve.serve("tcp", "chargen", 7200);
        int serving = net.openSockets();
        start(new SendCommand(net.sockets));
        int at = screen.await("g! ", 0);
        type("netkit:send --bytes 1099511627776 tcp 127.0.0.1 7200\n");
        long end = System.nanoTime() + WAIT_NANOS;
        while (net.openSockets() < serving + 2) { // the sender's socket and the one chargen accepted
            assertTrue(System.nanoTime() < end, "send never connected");
            Thread.sleep(5);
        }
        Thread.sleep(100);
        at = ctrlC("", at, "(interrupted)");
        assertTrue(screen.text().contains("bytes back, sha256 "), screen.text());
        serve.serve("stop", 7200);
        // A stopped service closes its connections on their own threads: wait for them, boundedly.
        long closed = System.nanoTime() + WAIT_NANOS;
        while (net.openSockets() != serving - 1 && System.nanoTime() < closed) {
            Thread.sleep(10);
        }
        assertEquals(serving - 1, net.openSockets(), "no socket left but the service's own, now closed");
        exit();
    }
}
