package netkit.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.ops4j.pax.exam.Option;

/**
 * The bundles and launch properties of the shipped executable jar: the build unpacks
 * {@code netkit.jar} (netkit.runtime's {@code netkit.bndrun}, resolved by bnd) into
 * {@code target/runtime}, and this reads its {@code launcher.properties}, so the tests run exactly
 * the bundle set that ships.
 */
final class NetkitOptions {
    /** The console's stdin shell: a test JVM has no terminal to give it. */
    private static final String SHELL_PROPERTY = "netkit.shell";
    /** FileInstall's watched folder: a fresh one per framework, so no test sees another's files. */
    private static final String FILEINSTALL_DIR = "felix.fileinstall.dir";
    /** The jar's optional part (the web page) sits above the framework's beginning start level. */
    private static final String BEGINNING = "org.osgi.framework.startlevel.beginning";

    private NetkitOptions() {
    }

    static Option runtime() {
        Path dir = Path.of(System.getProperty("netkit.runtime", "target/runtime"));
        Properties launcher = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve("launcher.properties"))) {
            launcher.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("the unpacked runtime jar is missing: " + dir, e);
        }
        List<Option> options = new ArrayList<>();
        // as the jar starts by default: without the bundles above the beginning start level (the web page)
        List<String> optional = new ArrayList<>();
        for (String attrs : launcher.getProperty("launch.runbundles.attrs", "").split(",")) {
            String[] parts = attrs.split(";");
            for (String p : parts) {
                if (p.trim().startsWith("startlevel=") && Integer.parseInt(p.trim().substring(11))
                        > Integer.parseInt(launcher.getProperty(BEGINNING, "1"))) {
                    optional.add(parts[0].trim() + "-");
                }
            }
        }
        for (String jar : launcher.getProperty("launch.bundles").split(",")) {
            String name = Path.of(jar.trim()).getFileName().toString();
            if (optional.stream().noneMatch(name::startsWith)) {
                options.add(bundle(dir.resolve(jar.trim()).toUri().toString()));
            }
        }
        for (String key : launcher.stringPropertyNames()) {
            if (!key.startsWith("launch.") && !key.equals(SHELL_PROPERTY) && !key.equals(BEGINNING)) {
                String value = key.equals(FILEINSTALL_DIR) ? freshFolder(dir) : launcher.getProperty(key);
                options.add(frameworkProperty(key).value(value));
            }
        }
        options.add(junitBundles());
        options.add(systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
        return composite(options.toArray(new Option[0]));
    }

    private static String freshFolder(Path runtime) {
        try {
            return Files.createTempDirectory(runtime.getParent(), "etc-").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
