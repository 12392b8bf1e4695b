package netkit.stack.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/**
 * The bundle resolves and runs without Event Admin and Log Service (README, "Events"): bnd's manifest
 * imports their packages optionally, and the classes SCR and the framework load at activation name
 * none of their types (a missing optional package would otherwise fail them with NoClassDefFoundError).
 */
class OptionalServicesManifestTest {
    private static String imports() throws Exception {
        try (InputStream in = Files.newInputStream(Path.of("target/classes/META-INF/MANIFEST.MF"))) {
            return new Manifest(in).getMainAttributes().getValue("Import-Package");
        }
    }

    @Test
    void eventAdminAndLogServicePackagesAreOptionalImports() throws Exception {
        String imports = imports();
        assertTrue(imports.contains("org.osgi.service.event;version=\"[1.4,2)\";resolution:=optional"), imports);
        assertTrue(imports.contains("org.osgi.service.log;version=\"[1.4,2)\";resolution:=optional"), imports);
        try (InputStream in = Files.newInputStream(Path.of("target/classes/META-INF/MANIFEST.MF"))) {
            assertEquals(LogServiceBridge.class.getName(), new Manifest(in).getMainAttributes().getValue("Bundle-Activator"));
        }
    }

    @Test
    void theClassesLoadedAtActivationNameNoOptionalType() {
        for (Class<?> c : new Class<?>[] {EventAdminPublisher.class, EventAdminPublisher.OptionalService.class,
            LogServiceBridge.class, StackComponent.class}) {
            for (Field f : c.getDeclaredFields()) {
                assertOptionalFree(c, f.getType());
            }
            for (Method m : c.getDeclaredMethods()) {
                assertOptionalFree(c, m.getReturnType());
                for (Class<?> p : m.getParameterTypes()) {
                    assertOptionalFree(c, p);
                }
            }
        }
    }

    private static void assertOptionalFree(Class<?> owner, Class<?> type) {
        String name = type.getName();
        assertTrue(!name.startsWith("org.osgi.service.event") && !name.startsWith("org.osgi.service.log"),
                owner.getSimpleName() + " names " + name);
    }
}
