package netkit.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/**
 * The executable jar run as a process, twice in one base directory: what the console configured in
 * the first run is back in the second, from {@code etc/} (one file per configuration) and with the
 * framework storage in {@code data/}.
 */
public class RestartIT {
    private static final Path JAR = Path.of(System.getProperty("netkit.jar", "target/netkit.jar")).toAbsolutePath();

    /** Runs the jar in {@code home} with {@code input} piped in; its output, once it has exited. */
    private static String run(Path home, String input, int expectedStatus) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("java", "-jar", JAR.toString()).directory(home.toFile())
                .redirectErrorStream(true).start();
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("exited in time", p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(out, expectedStatus, p.exitValue());
        return out;
    }

    @Test
    public void consoleConfigurationSurvivesARestart() throws Exception {
        Path home = Files.createTempDirectory(Path.of("target"), "home-");
        run(home, "netkit:ifconfig eth0 10.9.0.1/24 driver wire param segment=restart\n"
                + "netkit:ifconfig eth0 mtu 1400\n", 0);
        Path file = home.resolve("etc/netkit.interface-eth0.cfg");
        assertTrue("etc file written for a console-made interface", Files.isRegularFile(file));
        String cfg = Files.readString(file, StandardCharsets.ISO_8859_1);
        assertTrue(cfg, cfg.contains("10.9.0.1/24") && cfg.contains("1400") && cfg.contains("segment=restart"));
        assertTrue("framework storage kept in data/", Files.isDirectory(home.resolve("data")));

        String again = run(home, "netkit:ifconfig eth0\nnetkit:ifconfig eth0 delete\n", 0);
        assertTrue(again, again.contains("eth0: <UP,BROADCAST,RUNNING> mtu 1400 driver wire"));
        assertTrue(again, again.contains("inet 10.9.0.1/24"));
        assertTrue(again, again.contains("deleted eth0"));
        assertFalse("etc file deleted with the interface", Files.exists(file));
    }

    /** The {@code link/ether} MAC that {@code ifconfig} printed for {@code iface} in {@code out}. */
    private static String mac(String out, String iface) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + iface + ": .*\n    link/ether (\\S+)")
                .matcher(out);
        assertTrue(out, m.find());
        return m.group(1);
    }

    /**
     * {@code netkit:sysctl} changes are written to {@code etc/PID.cfg} (other properties kept) and are
     * back after a restart; invalid values are refused before anything changes. Interfaces without a
     * configured {@code mac} get the same MAC in both runs (derived from the installation key in
     * {@code data/}), a different one each.
     */
    @Test
    public void sysctlChangesAndMacsSurviveARestart() throws Exception {
        Path home = Files.createTempDirectory(Path.of("target"), "home-");
        Path tcp = home.resolve("etc/netkit.tcp.cfg");
        Files.createDirectories(tcp.getParent());
        Files.writeString(tcp, "# hand-written\nsynRetries = 5\n", StandardCharsets.ISO_8859_1);
        String first = run(home, "netkit:sysctl -w netkit.tcp.congestionControl=reno\n"
                + "netkit:sysctl netkit.icmp.answerBroadcastEcho=true netkit.dns.nameservers=192.0.2.53,192.0.2.54\n"
                + "netkit:ifconfig eth0 10.9.0.1/24 driver wire param segment=restart\n"
                + "netkit:ifconfig eth1 10.9.1.1/24 driver wire param segment=restart\n"
                + "netkit:ifconfig eth0\nnetkit:ifconfig eth1\n", 0);
        assertTrue(first, first.contains("netkit.tcp.congestionControl = reno"));
        assertTrue(first, first.contains("netkit.dns.nameservers = 192.0.2.53,192.0.2.54"));
        String cfg = Files.readString(tcp, StandardCharsets.ISO_8859_1);
        assertTrue(cfg, cfg.contains("congestionControl = reno") && cfg.contains("synRetries = 5"));
        assertTrue(Files.readString(home.resolve("etc/netkit.icmp.cfg")).contains("answerBroadcastEcho = true"));
        String eth0 = mac(first, "eth0");
        assertTrue(eth0, eth0.matches("[0-9a-f][26ae](:[0-9a-f]{2}){5}")); // locally administered unicast
        assertFalse("each interface its own MAC", eth0.equals(mac(first, "eth1")));

        String again = run(home, "netkit:ifconfig eth0\nnetkit:ifconfig eth1\nnetkit:sysctl\n"
                + "netkit:sysctl netkit.tcp.congestionControl=vegas\n", 1);
        assertEquals(again, eth0, mac(again, "eth0"));
        assertEquals(again, mac(first, "eth1"), mac(again, "eth1"));
        assertTrue(again, again.contains("netkit.tcp.congestionControl = reno"));
        assertTrue(again, again.contains("netkit.tcp.synRetries = 5"));
        assertTrue(again, again.contains("netkit.tcp.mslMillis = 30000")); // a Metatype default
        assertTrue(again, again.contains("netkit.icmp.answerBroadcastEcho = true"));
        assertTrue(again, again.contains("netkit.tcp.congestionControl: invalid value 'vegas' (not one of cubic, reno)"));

        for (String bad : new String[] {"netkit.tcp.synRetries=abc", "netkit.tcp.delayedAckMillis=900",
            "netkit.stack.loopback=maybe", "netkit.tcp.nosuch=1", "nosuch.pid.x=1"}) {
            String out = run(home, "netkit:sysctl -w " + bad + "\n", 1);
            assertTrue(out, out.contains("sysctl: "));
            assertFalse(out, out.contains("Exception"));
        }
        assertEquals("refused values changed nothing", cfg, Files.readString(tcp, StandardCharsets.ISO_8859_1));
    }
}
