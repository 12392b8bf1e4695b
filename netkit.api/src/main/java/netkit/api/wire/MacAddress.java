package netkit.api.wire;

/** 48-bit MAC addresses held in the low bits of a long: formatting, parsing, classes. */
public final class MacAddress {
    /** ff:ff:ff:ff:ff:ff. */
    public static final long BROADCAST = 0xffffffffffffL;

    private MacAddress() {
    }

    /** Formats as {@code 02:00:00:00:00:01}. */
    public static String format(long mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            int v = (int) (mac >>> shift) & 0xff;
            sb.append(Character.forDigit(v >>> 4, 16)).append(Character.forDigit(v & 0xf, 16));
            if (shift > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }

    /**
     * Parses {@code xx:xx:xx:xx:xx:xx} (or with dashes).
     *
     * @throws IllegalArgumentException when malformed
     */
    public static long parse(String text) {
        String[] parts = text.split("[:-]");
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: '" + text + "'");
        }
        long mac = 0;
        for (String p : parts) {
            if (p.length() != 2) {
                throw new IllegalArgumentException("not a MAC address: '" + text + "'");
            }
            mac = (mac << 8) | Integer.parseInt(p, 16);
        }
        return mac;
    }

    /** Whether the group bit is set (multicast or broadcast). */
    public static boolean isMulticast(long mac) {
        return (mac & 0x010000000000L) != 0;
    }

    /** A locally administered unicast address from 40 random-ish bits (for generated MACs). */
    public static long localUnicast(long bits) {
        return 0x020000000000L | (bits & 0x00ffffffffffL);
    }
}
