package netkit.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace with a veth pair to the host and a kernel VXLAN device (VNI 42) whose remote
 * VTEP is this JVM's netkit stack: the Linux stack as a test peer. The VXLAN device keeps Linux's
 * defaults apart from the port it sends to (4789, where Linux's default is 8472): its outer source
 * ports are flow-hashed from the ephemeral range, as users' devices are. Created and
 * deleted by the test; traffic stays on these devices.
 */
public final class PeerNamespace implements AutoCloseable {
    public static final String HOST_VETH_ADDR = "10.200.0.1";
    public static final String PEER_VETH_ADDR = "10.200.0.2";
    public static final String PEER_ADDR = "192.168.77.2";
    public static final String NETKIT_ADDR = "192.168.77.1";

    public final String ns;
    private final String hostVeth;

    private PeerNamespace(String ns, String hostVeth) {
        this.ns = ns;
        this.hostVeth = hostVeth;
    }

    /** Creates the namespace, or returns null with the reason when this machine cannot. */
    static PeerNamespace create(StringBuilder whyNot) {
        return create("nk", whyNot);
    }

    /** The same with names starting with {@code tag} (2-3 letters), so each test class has its own. */
    public static PeerNamespace create(String tag, StringBuilder whyNot) {
        String id = Long.toString(ProcessHandle.current().pid() % 100000);
        String ns = tag + "peer" + id;
        String veth = tag + "v" + id;
        PeerNamespace p = new PeerNamespace(ns, veth);
        for (String tool : new String[] {"ip", "ethtool", "socat", "ping", "nstat"}) {
            try {
                if (run("sh", "-c", "command -v " + tool).exit() != 0) {
                    whyNot.append(tool).append(" is not installed (.ci/run installs it)");
                    return null;
                }
            } catch (IOException | InterruptedException e) {
                whyNot.append(e);
                return null;
            }
        }
        try {
            String[][] steps = {
                {"ip", "netns", "add", ns},
                {"ip", "link", "add", veth, "mtu", "1550", "type", "veth", "peer", "name", veth + "p", "mtu", "1550"},
                {"ip", "link", "set", veth + "p", "netns", ns},
                {"ip", "addr", "add", HOST_VETH_ADDR + "/24", "dev", veth},
                {"ip", "link", "set", veth, "up"},
                {"ethtool", "-K", veth, "tx", "off"},
                {"ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1"},
                {"ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.tcp_no_metrics_save=1"},
                {"ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"},
                {"ip", "netns", "exec", ns, "ip", "addr", "add", PEER_VETH_ADDR + "/24", "dev", veth + "p"},
                {"ip", "netns", "exec", ns, "ip", "link", "set", veth + "p", "up"},
                {"ip", "netns", "exec", ns, "ethtool", "-K", veth + "p", "tx", "off"},
                {"ip", "netns", "exec", ns, "ip", "link", "add", "vx0", "type", "vxlan", "id", "42", "local",
                    PEER_VETH_ADDR, "remote", HOST_VETH_ADDR, "dstport", "4789", "dev",
                    veth + "p", "nolearning", "udpcsum", "ttl", "64"},
                {"ip", "netns", "exec", ns, "ip", "addr", "add", PEER_ADDR + "/24", "dev", "vx0"},
                {"ip", "netns", "exec", ns, "ip", "link", "set", "vx0", "up"},
                {"ip", "netns", "exec", ns, "ethtool", "-K", "vx0", "tx", "off"},
            };
            for (String[] step : steps) {
                Result r = run(step);
                if (r.exit != 0) {
                    whyNot.append(String.join(" ", step)).append(": ").append(r.output.trim());
                    p.close();
                    return null;
                }
            }
            return p;
        } catch (IOException | InterruptedException e) {
            whyNot.append(e);
            p.close();
            return null;
        }
    }

    /** A command's exit status and combined output. */
    public record Result(int exit, String output) {
    }

    public static Result run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "timed out");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** Runs a command inside the namespace. */
    public Result exec(String... cmd) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(cmd));
        return run(c.toArray(new String[0]));
    }

    /** Starts a command inside the namespace in the background. */
    public Process start(String... cmd) throws IOException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(cmd));
        return new ProcessBuilder(c).redirectErrorStream(true).start();
    }

    /** A kernel counter from {@code nstat -az} inside the namespace. */
    public long nstat(String name) throws IOException, InterruptedException {
        for (String line : exec("nstat", "-az", name).output().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2 && f[0].equals(name)) {
                return Long.parseLong(f[1]);
            }
        }
        return -1;
    }

    @Override
    public void close() {
        try {
            run("ip", "link", "del", hostVeth);
            run("ip", "netns", "del", ns);
        } catch (IOException | InterruptedException e) {
            // best effort
        }
    }
}
