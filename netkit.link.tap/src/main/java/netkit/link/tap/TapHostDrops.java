package netkit.link.tap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import netkit.api.spi.link.Link;

/**
 * The frames the host dropped on their way to one TAP device's reader: Linux counts a frame it
 * could not queue for the reader (the device's queue of {@code txqueuelen} frames was full, or
 * nobody read) as the device's {@code tx_dropped} ({@code tun_net_xmit}), shown in
 * {@code /sys/class/net/DEV/statistics/tx_dropped}. Read on demand only, relative to the count when
 * the link opened (a persistent device may carry older drops). Once the device has moved to another
 * network namespace this one cannot see it: the count is then unknown.
 */
final class TapHostDrops {
    private final Path file;
    private final long atOpen;

    /** The count of {@code device} under {@code sysClassNet} ({@code /sys/class/net} on Linux). */
    TapHostDrops(Path sysClassNet, String device) {
        this.file = sysClassNet.resolve(device).resolve("statistics").resolve("tx_dropped");
        long now = read(file);
        this.atOpen = Math.max(now, 0);
    }

    /** Frames dropped since the link opened, or {@link Link#HOST_DROPS_UNKNOWN}. */
    long sinceOpen() {
        long now = read(file);
        return now < 0 ? Link.HOST_DROPS_UNKNOWN : Math.max(0, now - atOpen);
    }

    private static long read(Path file) {
        try {
            return Long.parseLong(Files.readString(file).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
