package netkit.link.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import netkit.api.spi.link.Link;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TapHostDropsTest {
    private static void write(Path root, String device, String value) throws Exception {
        Path stats = root.resolve(device).resolve("statistics");
        Files.createDirectories(stats);
        Files.writeString(stats.resolve("tx_dropped"), value);
    }

    @Test
    void countsDropsSinceTheLinkOpened(@TempDir Path root) throws Exception {
        write(root, "nktap1", "17\n");
        TapHostDrops drops = new TapHostDrops(root, "nktap1");
        assertEquals(0, drops.sinceOpen());
        write(root, "nktap1", "42\n");
        assertEquals(25, drops.sinceOpen());
    }

    @Test
    void aDeviceNoLongerVisibleHasAnUnknownCount(@TempDir Path root) throws Exception {
        write(root, "nktap2", "3\n");
        TapHostDrops drops = new TapHostDrops(root, "nktap2");
        Files.delete(root.resolve("nktap2").resolve("statistics").resolve("tx_dropped"));
        assertEquals(Link.HOST_DROPS_UNKNOWN, drops.sinceOpen());
    }

    @Test
    void garbageIsUnknownAndACounterThatWentBackIsZero(@TempDir Path root) throws Exception {
        write(root, "nktap3", "100\n");
        TapHostDrops drops = new TapHostDrops(root, "nktap3");
        write(root, "nktap3", "not a number");
        assertEquals(Link.HOST_DROPS_UNKNOWN, drops.sinceOpen());
        write(root, "nktap3", "5\n"); // the device was deleted and created again under the same name
        assertEquals(0, drops.sinceOpen());
    }

    @Test
    void aDeviceMissingAtOpenCountsFromZero(@TempDir Path root) throws Exception {
        TapHostDrops drops = new TapHostDrops(root, "nktap4");
        assertEquals(Link.HOST_DROPS_UNKNOWN, drops.sinceOpen());
        write(root, "nktap4", "2\n");
        assertEquals(2, drops.sinceOpen());
    }
}
