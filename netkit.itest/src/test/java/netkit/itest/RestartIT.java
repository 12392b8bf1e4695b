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
}
