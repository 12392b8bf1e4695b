package netkit.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Karaf-style {@code etc/} files for the configurations the console makes: where Apache Felix
 * FileInstall watches a directory ({@code felix.fileinstall.dir}), a console change is written to the
 * configuration's file ({@code etc/netkit.interface-NAME.cfg} for a new one) before Config Admin is
 * told, so it survives a restart even if the process ends at once (the runtime turns FileInstall's own
 * write-back off: it rewrites a file in place, and a process ending meanwhile left it empty). The
 * file is bound to the configuration ({@code felix.fileinstall.filename}) as FileInstall binds the
 * files it reads. Without FileInstall's directory (another container, a unit test) nothing is written.
 */
final class EtcFiles {
    static final String FILENAME = "felix.fileinstall.filename";
    private static final String DIR = "felix.fileinstall.dir";
    private static final Set<String> NOT_WRITTEN = Set.of(Constants.SERVICE_PID, ConfigurationAdmin.SERVICE_FACTORYPID,
            FILENAME);

    private EtcFiles() {
    }

    /**
     * Writes {@code p} to its file (the one it is bound to, else {@code DIR/FACTORYPID-NAME.cfg}, bound
     * now by adding {@value #FILENAME} to {@code p}); does nothing without FileInstall's directory.
     */
    static void write(String factoryPid, String name, Dictionary<String, Object> p) {
        write(file(factoryPid + "-" + name, p), p);
    }

    /**
     * Writes the properties of singleton PID {@code pid} to its file (the one it is bound to, else
     * {@code DIR/PID.cfg}), as {@link #write(String, String, Dictionary)} does.
     */
    static void writeSingleton(String pid, Dictionary<String, Object> p) {
        write(file(pid, p), p);
    }

    private static void write(Path file, Dictionary<String, Object> p) {
        if (file == null) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        Set<String> keys = new TreeSet<>();
        for (Enumeration<String> e = p.keys(); e.hasMoreElements();) {
            keys.add(e.nextElement());
        }
        for (String key : keys) {
            if (!NOT_WRITTEN.contains(key)) {
                sb.append(key).append(" = ").append(escape(value(p.get(key)))).append('\n');
            }
        }
        try {
            Files.createDirectories(file.getParent());
            // Written beside and moved in one step: FileInstall never reads half a file. The name
            // does not end in .cfg, so FileInstall ignores it meanwhile.
            Path tmp = Files.createTempFile(file.getParent(), ".netkit-", ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.ISO_8859_1)) {
                w.write(sb.toString());
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        p.put(FILENAME, file.toFile().toURI().toString()); // as FileInstall spells it: file:/...
    }

    /**
     * Lets the console change a configuration FileInstall read from a file: with its write-back
     * off, FileInstall marks such configurations read-only; the console writes the file itself.
     */
    static void unlock(Configuration c) throws IOException {
        Set<Configuration.ConfigurationAttribute> attributes = c.getAttributes();
        if (attributes != null && attributes.contains(Configuration.ConfigurationAttribute.READ_ONLY)) {
            c.removeAttributes(Configuration.ConfigurationAttribute.READ_ONLY);
        }
    }

    /** Deletes the file {@code p} is bound to, if any (FileInstall would, but only for files it read). */
    static void delete(Dictionary<String, Object> p) {
        Object bound = p == null ? null : p.get(FILENAME);
        if (bound != null) {
            try {
                Files.deleteIfExists(Path.of(URI.create(bound.toString())));
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalStateException("cannot delete " + bound + ": " + e.getMessage(), e);
            }
        }
    }

    private static Path file(String baseName, Dictionary<String, Object> p) {
        Object bound = p.get(FILENAME);
        if (bound != null) {
            return Path.of(URI.create(bound.toString()));
        }
        Bundle b = FrameworkUtil.getBundle(EtcFiles.class);
        String dir = b == null || b.getBundleContext() == null ? null : b.getBundleContext().getProperty(DIR);
        return dir == null ? null : Path.of(dir).toAbsolutePath().resolve(baseName + ".cfg");
    }

    /** Arrays as one line of space-separated entries, as the console and the stack read them. */
    private static String value(Object v) {
        if (v instanceof Object[] a) {
            StringBuilder sb = new StringBuilder();
            for (Object o : a) {
                sb.append(sb.length() == 0 ? "" : " ").append(o);
            }
            return sb.toString();
        }
        return String.valueOf(v);
    }

    /** The properties-file escapes for a value: backslashes, line breaks, a leading blank. */
    private static String escape(String v) {
        String s = v.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
        return s.startsWith(" ") ? "\\" + s : s;
    }
}
