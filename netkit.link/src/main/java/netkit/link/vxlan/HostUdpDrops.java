package netkit.link.vxlan;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import netkit.api.spi.link.Link;

/**
 * The count of datagrams the host dropped for one bound UDP socket (its receive buffer was full):
 * on Linux the last column, {@code drops}, of {@code /proc/net/udp} or {@code /proc/net/udp6} in the
 * socket's line, found by local address and port (the socket owns that pair). Read on demand only.
 */
final class HostUdpDrops {
    private static final Path UDP = Path.of("/proc/net/udp");
    private static final Path UDP6 = Path.of("/proc/net/udp6");

    private HostUdpDrops() {
    }

    /** The drops of the socket bound to {@code local}, or {@link Link#HOST_DROPS_UNKNOWN} when the host does not tell. */
    static long of(InetSocketAddress local) {
        InetAddress a = local.getAddress();
        Path table = a instanceof Inet4Address ? UDP : UDP6;
        if (!Files.isReadable(table)) {
            return Link.HOST_DROPS_UNKNOWN;
        }
        try {
            return of(Files.readAllLines(table), a.getAddress(), local.getPort());
        } catch (IOException | RuntimeException e) {
            return Link.HOST_DROPS_UNKNOWN;
        }
    }

    /**
     * The {@code drops} of the line of {@code lines} (the format of {@code /proc/net/udp[6]}) whose
     * local address is {@code address} (network order) and port {@code port}.
     */
    static long of(List<String> lines, byte[] address, int port) {
        String want = hex(address) + ":" + String.format("%04X", port);
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 13 && f[1].equalsIgnoreCase(want)) {
                return Long.parseLong(f[f.length - 1]);
            }
        }
        return Link.HOST_DROPS_UNKNOWN;
    }

    /** The kernel prints each 32-bit word of the address as a number in the host's byte order. */
    private static String hex(byte[] address) {
        StringBuilder sb = new StringBuilder();
        boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        for (int w = 0; w < address.length; w += 4) {
            for (int i = 0; i < 4; i++) {
                sb.append(String.format("%02X", address[w + (little ? 3 - i : i)] & 0xff));
            }
        }
        return sb.toString();
    }
}
