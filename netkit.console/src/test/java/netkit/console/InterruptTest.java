package netkit.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.console.serve.ServeCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Ctrl-C reaches a long command as an interrupt of its thread: the command ends within a bounded
 * wall time with its summary, its sockets closed, and leaves no interrupt flag behind.
 */
class InterruptTest {
    private static final long BOUND_MILLIS = 2000;
    private final LiveStack net = new LiveStack();
    private final ServeCommands serve = new ServeCommands(net.sockets);
    private final SendCommand send = new SendCommand(net.sockets);
    private final PingCommand ping = new PingCommand(net.sockets);
    private final int before = net.openSockets();

    @AfterEach
    void close() {
        net.close();
    }

    /** Runs {@code command} on its own thread, interrupts it once {@code blocked}; what it returned. */
    private String interruptWhen(BooleanSupplier blocked, Callable<String> command) throws Exception {
        boolean[] flagAfter = new boolean[1];
        FutureTask<String> task = new FutureTask<>(() -> {
            try {
                return command.call();
            } finally {
                flagAfter[0] = Thread.currentThread().isInterrupted();
            }
        });
        Thread t = new Thread(task, "command");
        t.start();
        long end = System.nanoTime() + 10_000_000_000L;
        while (!(blocked.getAsBoolean() && (t.getState() == Thread.State.WAITING
                || t.getState() == Thread.State.TIMED_WAITING))) {
            assertTrue(System.nanoTime() < end && !task.isDone(), "the command never blocked");
            Thread.sleep(5);
        }
        long interrupted = System.nanoTime();
        t.interrupt();
        String out = task.get(5, TimeUnit.SECONDS);
        long millis = (System.nanoTime() - interrupted) / 1_000_000;
        assertTrue(millis < BOUND_MILLIS, "returned " + millis + " ms after the interrupt");
        t.join(1000);
        assertFalse(flagAfter[0], "the command consumed the interrupt");
        return out;
    }

    /** A listener that never accepts: its queue takes a connection, whose window then fills. */
    private void deafListener(int port) throws Exception {
        int l = net.sockets.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        net.sockets.bind(l, SockAddr.of("127.0.0.1", port));
        net.sockets.listen(l, 4);
    }

    @Test
    void pingWithoutCountPrintsItsStatistics() throws Exception {
        // the interrupt may come before the first reply (a loaded machine): then ping fails, as
        // Linux's exits 1, after the same statistics
        String out = interruptWhen(() -> net.openSockets() == before + 1, () -> {
            try {
                return ping.ping("-i", "0.02", "127.0.0.1").toString();
            } catch (netkit.console.shell.CommandFailure f) {
                return f.result().toString();
            }
        });
        assertTrue(out.contains("--- 127.0.0.1 ping statistics ---"), out);
        assertTrue(out.contains("packets transmitted"), out);
        assertEquals(before, net.openSockets(), "ping's socket is closed");
    }

    @Test
    void sendIntoAFullWindow() throws Exception {
        deafListener(7100);
        int listening = net.openSockets();
        String out = interruptWhen(() -> net.openSockets() == listening + 1,
                () -> send.send(1L << 40, "", "tcp", "127.0.0.1", 7100));
        assertTrue(out.matches("(?s)\\d+ bytes in .* \\(interrupted\\)\\n"), out);
        assertEquals(listening, net.openSockets(), "send's socket is closed");
    }

    @Test
    void sendWaitingForAPeerThatNeverEnds() throws Exception {
        serve.serve("tcp", "chargen", 7101);
        String out = interruptWhen(() -> connectedTo(7101, "FIN_WAIT_2"),
                () -> send.send(1000, "", "tcp", "127.0.0.1", 7101));
        assertTrue(out.startsWith("1000 bytes in "), out);
        assertTrue(out.contains("(interrupted)"), out);
        serve.serve("stop", 7101);
        awaitOpenSockets(before, "send's socket and the service's are closed");
    }

    /**
     * Waits (10 s at most) for the open token count to reach {@code expected}: a stopped service
     * closes its connections on their own threads, which a loaded machine may not run at once.
     */
    private void awaitOpenSockets(int expected, String message) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (net.openSockets() != expected && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertEquals(expected, net.openSockets(), message);
    }

    /** Whether a connection to {@code port} is in {@code state}. */
    private boolean connectedTo(int port, String state) {
        return net.stack.admin().sockets().stream()
                .anyMatch(s -> s.remote() != null && s.remote().port() == port && s.state().equals(state));
    }
}
