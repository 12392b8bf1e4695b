package netkit.console;

/**
 * The checked options of {@code netkit:ping}, in the ranges of Linux ping (iputils): a value out of
 * range or not a number is refused in one line before any socket is opened.
 *
 * @param count    requests to send; 0 (no {@code -c}) sends until interrupted
 * @param size     data bytes per request, 0..65507 (the largest IPv4 datagram's payload)
 * @param interval seconds between requests, {@value #MIN_INTERVAL}.. {@value #MAX_SECONDS}
 * @param timeout  seconds to wait for the last reply, 0..{@value #MAX_SECONDS}
 * @param ttl      IP time to live, 1..255
 */
record PingOptions(int count, int size, double interval, double timeout, int ttl) {
    /** No flooding: at most 100 requests a second. */
    static final double MIN_INTERVAL = 0.01;
    /** iputils' bound for -i and -W: INT_MAX milliseconds. */
    static final double MAX_SECONDS = Integer.MAX_VALUE / 1000.0;

    /** Parses the options as typed; an absent {@code -c} is the empty string. */
    static PingOptions parse(String count, String size, String interval, String timeout, String ttl) {
        return new PingOptions(count.isEmpty() ? 0 : integer("-c", count, 1, Integer.MAX_VALUE),
                integer("-s", size, 0, 65507), seconds("-i", interval, MIN_INTERVAL),
                seconds("-W", timeout, 0), integer("-t", ttl, 1, 255));
    }

    private static int integer(String option, String value, int min, int max) {
        try {
            long v = Long.parseLong(value.trim());
            if (v >= min && v <= max) {
                return (int) v;
            }
        } catch (NumberFormatException notANumber) {
            // refused below
        }
        throw new IllegalArgumentException("ping: " + option + " must be " + min + ".." + max + ", got '" + value
                + "'");
    }

    private static double seconds(String option, String value, double min) {
        try {
            double v = Double.parseDouble(value.trim());
            if (v >= min && v <= MAX_SECONDS) { // NaN fails both
                return v;
            }
        } catch (NumberFormatException notANumber) {
            // refused below
        }
        throw new IllegalArgumentException("ping: " + option + " must be " + min + ".." + (long) MAX_SECONDS
                + " seconds, got '" + value + "'");
    }
}
