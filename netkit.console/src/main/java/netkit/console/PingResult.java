package netkit.console;

/**
 * What {@code netkit:ping} returns: its statistics, for Gogo scripts ({@code r = (ping -c1 HOST);
 * $r received}); {@code toString} is Linux ping's summary, preceded by an empty line.
 *
 * @param host        the host as given
 * @param transmitted requests sent
 * @param received    replies received
 * @param errors      ICMP errors about the requests (unreachable, time exceeded)
 * @param timeMillis  wall time from the first request to the end
 * @param min         round-trip time in milliseconds, NaN without replies; so are avg, max and mdev
 * @param avg         mean round-trip time
 * @param max         longest round-trip time
 * @param mdev        standard deviation of the round-trip times
 */
public record PingResult(String host, int transmitted, int received, int errors, long timeMillis, double min,
        double avg, double max, double mdev) {
    /** Lost requests in percent, rounded as iputils does. */
    public int lossPercent() {
        return transmitted == 0 ? 0 : (int) Math.round(100.0 * (transmitted - received) / transmitted);
    }

    /** The statistics lines of Linux ping. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append("--- ").append(host).append(" ping statistics ---\n");
        sb.append(transmitted).append(" packets transmitted, ").append(received).append(" received");
        if (errors > 0) {
            sb.append(", +").append(errors).append(" errors");
        }
        sb.append(", ").append(lossPercent()).append("% packet loss, time ").append(timeMillis).append("ms\n");
        if (received > 0) {
            sb.append(String.format("rtt min/avg/max/mdev = %.3f/%.3f/%.3f/%.3f ms%n", min, avg, max, mdev));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "\n" + summary();
    }
}
