package netkit.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The CI smoke pass: the whole harness for about ten seconds so it cannot rot. No thresholds: speed
 * is never asserted in tests; only that every figure was measured on both sides and written out.
 */
class BenchSmokeTest {
    @Test
    void everyFigureIsMeasuredOnBothSidesAndWritten() throws Exception {
        BenchMain b = new BenchMain(1, 100, 100, 1);
        b.run();
        String table = b.table();
        System.out.print(table);
        for (BenchMain.Figure f : BenchMain.FIGURES) {
            if (f.id().startsWith("boot") && !Files.isRegularFile(Boot.jar())) {
                continue; // the runtime jar is built after this module
            }
            assertTrue(table.contains(f.label()), f.id());
            assertFalse(Double.isNaN(b.netkitMedians().get(f.id())), f.id() + " not measured on netkit:\n" + table);
        }
        Path json = Path.of("target/bench-smoke.json");
        Files.writeString(json, b.json());
        assertTrue(Files.readString(json).contains("\"tcp_bulk_pair\""));
    }
}
