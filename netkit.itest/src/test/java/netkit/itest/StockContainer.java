package netkit.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ops4j.pax.exam.Option;

/**
 * netkit added to a container as a user would: the stock bundles of that container and netkit's
 * own (not the runtime jar's set), staged by the build in {@code target/bundles} without versions.
 */
final class StockContainer {
    /** netkit's bundles as README's "Use netkit in your own container" lists them (no shell). */
    static final String[] NETKIT = {"netkit.api", "netkit.stack", "netkit.link", "netkit.udp", "netkit.icmp",
        "netkit.tcp", "netkit.console"};
    /** Declarative Services and Config Admin with what they need. */
    static final String[] SERVICES = {"org.osgi.util.function", "org.osgi.util.promise",
        "org.osgi.service.component", "org.apache.felix.scr", "org.apache.felix.configadmin"};

    private StockContainer() {
    }

    /** The named bundles from {@code target/bundles}, in order. */
    static Option bundles(String... names) {
        Path dir = Path.of(System.getProperty("netkit.bundles", "target/bundles"));
        List<Option> options = new ArrayList<>();
        for (String name : names) {
            Path jar = dir.resolve(name + ".jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("not staged by the build: " + jar);
            }
            options.add(bundle(jar.toUri().toString()));
        }
        return composite(options.toArray(new Option[0]));
    }

    /** netkit and DS, then {@code console}'s bundles; Pax Exam's JUnit bundles. */
    static Option[] with(String... console) {
        return new Option[] {bundles(SERVICES), bundles(console), bundles(NETKIT), junitBundles(),
            // Gogo's shells: no console on the test JVM's standard input, no framework shutdown from it
            frameworkProperty("gosh.args").value("--nointeractive --noshutdown"),
            systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN")};
    }
}
