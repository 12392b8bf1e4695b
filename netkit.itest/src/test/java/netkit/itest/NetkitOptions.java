package netkit.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import org.ops4j.pax.exam.Option;

/** The runtime's bundles, staged by the build into {@code target/bundles}. */
final class NetkitOptions {
    private NetkitOptions() {
    }

    private static final String[] BUNDLES = {"org.osgi.util.function", "org.osgi.util.promise",
        "org.osgi.service.component", "org.osgi.service.log", "org.apache.felix.scr", "org.apache.felix.configadmin",
        "org.apache.felix.metatype", "org.apache.felix.gogo.runtime", "org.apache.felix.gogo.command", "jline",
        "netkit.api", "netkit.link", "netkit.stack", "netkit.udp", "netkit.icmp", "netkit.tcp", "netkit.console"};

    static Option runtime() {
        String dir = System.getProperty("netkit.bundles", "target/bundles");
        Option[] options = new Option[BUNDLES.length + 2];
        for (int i = 0; i < BUNDLES.length; i++) {
            options[i] = bundle(new File(dir, BUNDLES[i] + ".jar").toURI().toString());
        }
        options[BUNDLES.length] = junitBundles();
        options[BUNDLES.length + 1] = systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN");
        return composite(options);
    }
}
