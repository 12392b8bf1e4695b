package netkit.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.api.admin.LinkCounters;
import netkit.icmp.IcmpProtocol;
import netkit.link.tap.TapDriver;
import netkit.stack.Stack;
import netkit.stack.StackSettings;
import netkit.stack.iface.InterfaceConfig;
import netkit.tcp.TcpProtocol;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TAP device opened through FFM, moved into a namespace this test creates, with Linux's stack
 * on the other side. Skipped, with the reason, without root, /dev/net/tun or the tools.
 */
class TapInteropTest {
    private static int run(StringBuilder out, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        return done ? p.exitValue() : -1;
    }

    @Test
    void kernelPingsAndSendsThroughATapDevice(@TempDir Path dir) throws Exception {
        StringBuilder out = new StringBuilder();
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/net/tun")), "TAP test skipped: no /dev/net/tun");
        Assumptions.assumeTrue(run(out, "sh", "-c", "command -v ip && command -v socat && command -v ping") == 0,
                "TAP test skipped: ip, socat or ping missing");
        String id = Long.toString(ProcessHandle.current().pid() % 100000);
        String ns = "nktapns" + id;
        String dev = "nktap" + id;
        Assumptions.assumeTrue(run(out, "ip", "netns", "add", ns) == 0, "TAP test skipped: no namespaces: " + out);
        try (Stack stack = new Stack("tap", null, StackSettings.defaults(), 7)) {
            stack.addDriver(new TapDriver());
            stack.addProtocol(new TcpProtocol());
            stack.addProtocol(new IcmpProtocol());
            stack.configure(new InterfaceConfig("tap0", "tap", SockAddr.parseAddress("192.168.78.1"), 24, 1500, 0, 0,
                    true, Map.of("device", dev)));
            Assumptions.assumeTrue(stack.iface("tap0").running(), "TAP test skipped: cannot open a TAP device"
                    + " (needs root)");
            assertEquals(0, stack.iface("tap0").status().counters().rxOverruns(),
                    "the device's tx_dropped is read while it is in this namespace");
            for (String[] step : new String[][] {
                {"ip", "link", "set", dev, "netns", ns},
                {"ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1"},
                {"ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"},
                {"ip", "netns", "exec", ns, "ip", "addr", "add", "192.168.78.2/24", "dev", dev},
                {"ip", "netns", "exec", ns, "ip", "link", "set", dev, "up"}}) {
                assertEquals(0, run(out, step), String.join(" ", step) + ": " + out);
            }
            out.setLength(0);
            assertEquals(0, run(out, "ip", "netns", "exec", ns, "ping", "-c", "3", "-i", "0.2", "-W", "2",
                    "192.168.78.1"), out.toString());
            SocketManager api = stack.sockets("tap");
            int l = api.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
            api.bind(l, SockAddr.of(0, 6001));
            api.listen(l, 1);
            byte[] data = new byte[2 << 20];
            new Random(3).nextBytes(data);
            Path file = dir.resolve("up.bin");
            Files.write(file, data);
            CompletableFuture<byte[]> server = CompletableFuture.supplyAsync(() -> {
                try {
                    int c = api.accept(l).token();
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    byte[] buf = new byte[65536];
                    for (int n; (n = api.recv(c, buf, 0, buf.length, 0)) > 0;) {
                        got.write(buf, 0, n);
                    }
                    return got.toByteArray();
                } catch (ErrnoException e) {
                    throw new IllegalStateException(e);
                }
            });
            out.setLength(0);
            assertEquals(0, run(out, "ip", "netns", "exec", ns, "socat", "-u", "FILE:" + file,
                    "TCP:192.168.78.1:6001"), out.toString());
            assertArrayEquals(data, server.get(60, TimeUnit.SECONDS));
            assertTrue(stack.iface("tap0").status().counters().rxPackets() > 1000);
            assertEquals(LinkCounters.OVERRUNS_UNKNOWN, stack.iface("tap0").status().counters().rxOverruns(),
                    "a device moved to another namespace is out of sight: its drops are unknown, not 0");
        } finally {
            run(new StringBuilder(), "ip", "netns", "del", ns);
        }
    }
}
