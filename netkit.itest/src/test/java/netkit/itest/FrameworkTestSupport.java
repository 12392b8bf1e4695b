package netkit.itest;

import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.After;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/** Helpers of the in-framework tests: services held for the test, waiting, bundles, console. */
abstract class FrameworkTestSupport {
    /** The probe's bundle context. */
    abstract BundleContext context();

    private final List<ServiceTracker<?, ?>> trackers = new ArrayList<>();

    /** A service, tracked (so held) until the test ends: a closed tracker would unget it. */
    <T> T service(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> t = new ServiceTracker<>(context(), type, null);
        t.open();
        trackers.add(t);
        T s = t.waitForService(10_000);
        assertNotNull("no " + type.getSimpleName() + " service", s);
        return s;
    }

    @After
    public void closeTrackers() {
        trackers.forEach(ServiceTracker::close);
    }

    /** A netkit call that may fail with an errno. */
    interface ErrnoCall {
        void run() throws ErrnoException;
    }

    /** Runs {@code call}, fails the test unless it throws {@link ErrnoException}, returns its errno. */
    static Errno errno(ErrnoCall call) {
        try {
            call.run();
        } catch (ErrnoException e) {
            return e.errno();
        }
        throw new AssertionError("expected an errno");
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    Bundle bundle(String name) {
        for (Bundle b : context().getBundles()) {
            if (name.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + name);
    }

    String console(String command) throws Exception {
        CommandProcessor processor = service(CommandProcessor.class);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, "UTF-8");
        CommandSession session = processor.createSession(System.in, ps, ps);
        try {
            Object result = session.execute(command);
            return out.toString("UTF-8") + (result == null ? "" : session.format(result, 0));
        } finally {
            session.close();
        }
    }

    /** {@link #console} for conditions: failures read as empty output. */
    String consoleOrEmpty(String command) {
        try {
            return console(command);
        } catch (Exception e) {
            return "";
        }
    }
}
