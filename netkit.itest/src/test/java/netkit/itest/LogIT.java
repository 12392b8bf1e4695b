package netkit.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import netkit.api.admin.NetworkAdmin;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * netkit logs through the OSGi Log Service: a warning of the stack goes to the best-ranked
 * {@link LoggerFactory} (the Log Service present; here one the test registers above the others), as an
 * entry of bundle {@code netkit.stack} named after the logging class, and not to standard error.
 * {@link #theRuntimeJarShowsStackWarningsWithTheLogCommand} checks the shipped jar's Felix Log and
 * Gogo's {@code log} command.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class LogIT extends FrameworkTestSupport {
    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() {
        return new Option[] {NetkitOptions.runtime()};
    }

    @Override
    BundleContext context() {
        return context;
    }

    /** "bundle logger level message" of each record. */
    private final List<String> records = new CopyOnWriteArrayList<>();

    private LoggerFactory recordingFactory() {
        return (LoggerFactory) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {LoggerFactory.class},
                (p, m, args) -> {
                    if (!m.getName().equals("getLogger")) {
                        throw new UnsupportedOperationException(m.getName());
                    }
                    String bundle = args[0] instanceof Bundle b ? b.getSymbolicName() : "?";
                    String name = String.valueOf(args[args[0] instanceof Bundle ? 1 : 0]);
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Logger.class},
                            (lp, lm, la) -> switch (lm.getName()) {
                                case "getName" -> name;
                                case "isErrorEnabled", "isWarnEnabled", "isInfoEnabled" -> true;
                                case "isDebugEnabled", "isTraceEnabled" -> false;
                                case "error", "warn", "info", "debug", "trace" -> {
                                    records.add(bundle + " " + name + " " + lm.getName() + " " + la[0]);
                                    yield null;
                                }
                                default -> throw new UnsupportedOperationException(lm.getName());
                            });
                });
    }

    @Test
    public void aStackWarningGoesToTheLogServiceNotToStandardError() throws Exception {
        service(NetworkAdmin.class);
        Dictionary<String, Object> ranking = new Hashtable<>();
        ranking.put(Constants.SERVICE_RANKING, Integer.MAX_VALUE);
        ServiceRegistration<LoggerFactory> reg = context.registerService(LoggerFactory.class, recordingFactory(), ranking);
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Dictionary<String, Object> p = new Hashtable<>();
            p.put("maxSockets", "banana");
            service(ConfigurationAdmin.class).getConfiguration("netkit.stack", "?").update(p);
            await("the warning in the Log Service", () -> records.stream().anyMatch(r -> r.contains("banana")));
        } finally {
            System.setErr(stderr);
            reg.unregister();
        }
        String record = records.stream().filter(r -> r.contains("banana")).findFirst().orElseThrow();
        assertTrue(record, record.startsWith("netkit.stack netkit.stack.osgi.StackComponent warn configuration "
                + "netkit.stack: maxSockets=banana cannot be read"));
        String err = captured.toString(StandardCharsets.UTF_8);
        assertFalse("printed to stderr: " + err, err.contains("banana"));
        // the factory gone, the next best one takes over: nothing more reaches the recorder
        records.clear();
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("maxSockets", "pear");
        service(ConfigurationAdmin.class).getConfiguration("netkit.stack", "?").update(p);
        Thread.sleep(500);
        assertEquals(List.of(), records);
    }

    /** Not in the framework: the shipped jar as a process (RestartIT's way), its Felix Log read with {@code log}. */
    @Test
    public void theRuntimeJarShowsStackWarningsWithTheLogCommand() throws Exception {
        // runs in the probe only to share this class; the process is independent of the framework
        Path jar = Path.of(System.getProperty("netkit.jar", "target/netkit.jar")).toAbsolutePath();
        Path home = Files.createTempDirectory(jar.getParent(), "log-home-");
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("etc/netkit.stack.cfg"), "maxSockets = banana\n");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString()).directory(home.toFile()).redirectError(home.resolve("stderr.txt").toFile()).start();
        p.getOutputStream().write("netkit:ifconfig lo0\nlog 20 warn\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("exited in time", p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(out, out.contains("WARNING - Bundle: netkit.stack - configuration netkit.stack: maxSockets=banana"));
        String err = Files.readString(home.resolve("stderr.txt"));
        assertFalse(err, err.contains("banana"));
    }
}
