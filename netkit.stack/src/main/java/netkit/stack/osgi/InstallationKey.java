package netkit.stack.osgi;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.osgi.framework.BundleContext;

/**
 * The per-installation key interface MACs derive from ({@code Stack.macKey}): 16 random bytes kept as
 * hex in the bundle's persistent storage area ({@code data/} of the runtime jar: the framework
 * storage), made at the first start, like systemd's {@code /etc/machine-id}. Deleting {@code data/}
 * gives new MACs.
 */
final class InstallationKey {
    static final String FILE = "installation-id";
    private static final System.Logger LOG = netkit.api.spi.support.NetkitLog.logger(InstallationKey.class);

    private InstallationKey() {
    }

    /**
     * The key, made and stored if there is none; null without a context (plain-Java tests of the
     * component) or where the framework has no file system storage.
     */
    static byte[] of(BundleContext context) {
        File f = context == null ? null : context.getDataFile(FILE);
        if (f == null) {
            return null;
        }
        Path file = f.toPath();
        try {
            if (Files.isRegularFile(file)) {
                String hex = Files.readString(file, StandardCharsets.US_ASCII).trim();
                if (hex.matches("[0-9a-f]{32}")) {
                    return HexFormat.of().parseHex(hex);
                }
                LOG.log(System.Logger.Level.WARNING, file + " is not 32 hex digits; a new installation key is made");
            }
            byte[] key = new byte[16];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".installation-id-", ".tmp");
            Files.writeString(tmp, HexFormat.of().formatHex(key) + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return key;
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot keep the installation key in " + file
                    + "; interface MACs change at every start: " + e);
            return null;
        }
    }
}
