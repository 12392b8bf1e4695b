package netkit.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import javax.inject.Inject;
import netkit.api.admin.NetworkAdmin;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogReaderService;

/**
 * netkit logs through the OSGi Log Service of the runtime (Felix Log): a warning of the stack is a
 * Log Service entry of bundle {@code netkit.stack}, which the console's {@code log} command shows,
 * and nothing reaches standard error.
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

    private LogEntry find(LogReaderService reader, String text) {
        for (LogEntry e : Collections.list(reader.getLog())) {
            if (e.getMessage() != null && e.getMessage().contains(text)) {
                return e;
            }
        }
        return null;
    }

    @Test
    public void aStackWarningGoesToTheLogServiceNotToStandardError() throws Exception {
        service(NetworkAdmin.class);
        LogReaderService reader = service(LogReaderService.class);
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        LogEntry entry;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Dictionary<String, Object> p = new Hashtable<>();
            p.put("maxSockets", "banana");
            service(ConfigurationAdmin.class).getConfiguration("netkit.stack", "?").update(p);
            await("the warning in the Log Service", () -> find(reader, "banana") != null);
            entry = find(reader, "banana");
        } finally {
            System.setErr(stderr);
        }
        assertEquals("netkit.stack", entry.getBundle().getSymbolicName());
        assertEquals(LogLevel.WARN, entry.getLogLevel());
        assertEquals("netkit.stack.osgi.StackComponent", entry.getLoggerName());
        String err = captured.toString(StandardCharsets.UTF_8);
        assertFalse("printed to stderr: " + err, err.contains("banana"));
        String log = console("log 50 warn");
        assertFalse(log, !log.contains("banana"));
    }
}
