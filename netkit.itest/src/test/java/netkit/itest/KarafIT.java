package netkit.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * netkit in a real Apache Karaf 4.4 distribution, as README tells a Karaf user to add it: the
 * build unpacks {@code apache-karaf-4.4.7.tar.gz} into {@code target/karaf} and puts netkit's
 * bundles and feature repository (plus the few bundles of Karaf's own {@code scr} feature that the
 * distribution does not carry) into its {@code system/} Maven repository; Karaf runs offline (no
 * remote repository) as a server process on free local ports; commands go through {@code bin/client}
 * over SSH: {@code feature:repo-add mvn:io.netkit/netkit.features/VERSION/xml/features},
 * {@code feature:install netkit}, then ping and a TCP echo through the console.
 */
public class KarafIT {
    private static final long BOOT_MILLIS = 180_000;
    private static Path home;
    private static Process karaf;
    private static int sshPort;
    private static long bootMillis;

    @BeforeClass
    public static void boot() throws Exception {
        // Karaf 4.4's launcher turns the Security Manager on, which JDK 24+ refuses at start; CI runs this
        // test in its JDK 17 pass.
        Assume.assumeTrue("Karaf 4.4 does not start on JDK " + Runtime.version().feature()
                + " (its launcher enables the Security Manager)", Runtime.version().feature() <= 21);
        home = Path.of(System.getProperty("netkit.karaf", "target/karaf/apache-karaf-4.4.7")).toAbsolutePath();
        assertTrue("Karaf not unpacked by the build: " + home, Files.isDirectory(home.resolve("bin")));
        sshPort = freePort();
        deleteTree(home.resolve("data")); // a fresh instance, also when the build did not clean
        Path etc = home.resolve("etc");
        Files.writeString(etc.resolve("users.properties"),
                "karaf = karaf,_g_:admingroup\n_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n");
        replace(etc.resolve("org.apache.karaf.shell.cfg"), "(?m)^sshPort\\s*=.*$", "sshPort = " + sshPort);
        replace(etc.resolve("org.apache.karaf.shell.cfg"), "(?m)^sshHost\\s*=.*$", "sshHost = 127.0.0.1");
        replace(etc.resolve("org.apache.karaf.management.cfg"), "(?m)^rmiRegistryPort\\s*=.*$",
                "rmiRegistryPort = " + freePort());
        replace(etc.resolve("org.apache.karaf.management.cfg"), "(?m)^rmiServerPort\\s*=.*$",
                "rmiServerPort = " + freePort());
        // Offline: only the distribution's system/ folder, no remote repository, no ~/.m2.
        replace(etc.resolve("org.ops4j.pax.url.mvn.cfg"), "(?ms)^org\\.ops4j\\.pax\\.url\\.mvn\\.repositories=.*?(?=^\\S|\\z)",
                "org.ops4j.pax.url.mvn.repositories=\norg.ops4j.pax.url.mvn.localRepository=${karaf.data}/repository\n");
        long start = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server").directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(home.resolveSibling("karaf-console.log").toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        karaf = pb.start();
        long deadline = System.currentTimeMillis() + BOOT_MILLIS;
        while (!client("echo ready").contains("ready")) {
            if (!karaf.isAlive() || System.currentTimeMillis() > deadline) {
                fail("Karaf did not come up; see " + home.resolveSibling("karaf-console.log") + " and data/log/karaf.log");
            }
            Thread.sleep(1000);
        }
        bootMillis = (System.nanoTime() - start) / 1_000_000;
    }

    @AfterClass
    public static void shutdown() throws Exception {
        if (karaf != null) {
            List<ProcessHandle> all = karaf.descendants().toList();
            all.forEach(ProcessHandle::destroy);
            karaf.destroy();
            for (ProcessHandle p : all) {
                p.onExit().get(30, TimeUnit.SECONDS);
            }
            if (!karaf.waitFor(30, TimeUnit.SECONDS)) {
                karaf.descendants().forEach(ProcessHandle::destroyForcibly);
                karaf.destroyForcibly();
            }
        }
    }

    @Test
    public void theFeatureInstallsAndPingAndTcpEchoWorkThroughKarafsShell() throws Exception {
        String version = System.getProperty("netkit.version", "0.1.0-SNAPSHOT");
        long start = System.nanoTime();
        String install = client("feature:repo-add mvn:io.netkit/netkit.features/" + version + "/xml/features",
                "feature:install netkit", "echo installed");
        assertTrue(install, install.contains("installed") && !install.contains("Error"));
        long deadline = System.currentTimeMillis() + 60_000;
        String routes;
        while (!(routes = client("echo (netkit:route)")).contains("127.0.0.0/8")) {
            assertTrue("netkit:route never showed lo0's route: " + routes, System.currentTimeMillis() < deadline);
            Thread.sleep(500);
        }
        long installMillis = (System.nanoTime() - start) / 1_000_000;
        String bundles = client("bundle:list -s");
        for (String b : new String[] {"netkit.api", "netkit.stack", "netkit.link", "netkit.udp", "netkit.icmp",
            "netkit.tcp", "netkit.dns", "netkit.dhcp", "netkit.compat", "netkit.console"}) {
            assertTrue(bundles, Pattern.compile("Active .*\\| " + Pattern.quote(b) + "\\s").matcher(bundles).find());
        }
        String ping = client("r = (netkit:ping -c 2 -i 0.2 127.0.0.1)", "echo $r");
        assertTrue(ping, ping.contains("2 packets transmitted, 2 received, 0% packet loss"));
        // Karaf's own help covers Karaf's action commands, not Gogo functions (help netkit prints nothing,
        // with or without netkit:netkit): the list is netkit:netkit there
        String help = client("echo (netkit:netkit)");
        assertTrue(help, help.contains("traceroute") && help.contains("netstat"));
        String stats = client("echo (netkit:netstat -su)");
        assertTrue(stats, stats.contains("Udp:") && stats.contains("packets received"));
        String host = client("echo (netkit:host localhost)");
        assertTrue(host, host.contains("localhost has address 127.0.0.1"));
        String echo = client("netkit:serve tcp echo 7007", "echo (netkit:send --bytes 200000 tcp 127.0.0.1 7007)",
                "netkit:serve stop 7007");
        Matcher m = Pattern.compile("(?s)200000 bytes in .*sha256 (\\p{XDigit}{64}).*received 200000 bytes back, sha256 (\\p{XDigit}{64})")
                .matcher(echo);
        assertTrue(echo, m.find());
        assertEquals("the echo is what was sent", m.group(1), m.group(2));
        System.out.printf("Karaf: boot to SSH %d ms, feature:install netkit to commands %d ms%n", bootMillis, installMillis);
    }

    /** Runs {@code lines} in one batch session of {@code bin/client}; what it printed. */
    private static String client(String... lines) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/client").toString(), "-a", String.valueOf(sshPort),
                "-h", "127.0.0.1", "-u", "karaf", "-p", "karaf", "-r", "1", "-b").directory(home.toFile())
                .redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        p.getOutputStream().write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static void replace(Path file, String regex, String replacement) throws IOException {
        String s = Files.readString(file);
        String t = s.replaceAll(regex, Matcher.quoteReplacement(replacement));
        assertTrue("no " + regex + " in " + file, !t.equals(s) || s.contains(replacement));
        Files.writeString(file, t);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
