package netkit.stack.osgi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

/** The installation key is made once, kept in the bundle's data area and read back at the next start. */
class InstallationKeyTest {
    private static BundleContext dataIn(Path dir) {
        return (BundleContext) Proxy.newProxyInstance(InstallationKeyTest.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, m, args) -> m.getName().equals("getDataFile")
                        ? new File(dir.toFile(), (String) args[0]) : null);
    }

    @Test
    void madeOnceThenReadBack(@TempDir Path data) throws Exception {
        byte[] first = InstallationKey.of(dataIn(data));
        assertEquals(16, first.length);
        Path file = data.resolve(InstallationKey.FILE);
        assertTrue(Files.readString(file).trim().matches("[0-9a-f]{32}"));
        assertArrayEquals(first, InstallationKey.of(dataIn(data)), "the next start reads the same key");
    }

    @Test
    void aDamagedFileIsReplaced(@TempDir Path data) throws Exception {
        Files.writeString(data.resolve(InstallationKey.FILE), "garbage\n");
        byte[] key = InstallationKey.of(dataIn(data));
        assertEquals(16, key.length);
        assertFalse(Files.readString(data.resolve(InstallationKey.FILE)).contains("garbage"));
    }

    @Test
    void noContextNoKey() {
        assertNull(InstallationKey.of(null));
    }
}
