package netkit.console;

/** Round-trip statistics as Linux ping prints them: min/avg/max/mdev. */
public final class PingStats {
    private int transmitted;
    private int received;
    private int errors;
    private double min = Double.MAX_VALUE;
    private double max;
    private double sum;
    private double sumSquares;

    /** One request sent. */
    public void sent() {
        transmitted++;
    }

    /** One reply after {@code rttMillis}. */
    public void reply(double rttMillis) {
        received++;
        min = Math.min(min, rttMillis);
        max = Math.max(max, rttMillis);
        sum += rttMillis;
        sumSquares += rttMillis * rttMillis;
    }

    /** One error reported (unreachable, time exceeded). */
    public void error() {
        errors++;
    }

    /** Replies received. */
    public int received() {
        return received;
    }

    /** The summary lines. */
    public String summary(String host, long elapsedMillis) {
        int loss = transmitted == 0 ? 0 : (int) Math.round(100.0 * (transmitted - received) / transmitted);
        StringBuilder sb = new StringBuilder();
        sb.append("--- ").append(host).append(" ping statistics ---\n");
        sb.append(transmitted).append(" packets transmitted, ").append(received).append(" received");
        if (errors > 0) {
            sb.append(", +").append(errors).append(" errors");
        }
        sb.append(", ").append(loss).append("% packet loss, time ").append(elapsedMillis).append("ms\n");
        if (received > 0) {
            double avg = sum / received;
            double mdev = Math.sqrt(Math.max(0, sumSquares / received - avg * avg));
            sb.append(String.format("rtt min/avg/max/mdev = %.3f/%.3f/%.3f/%.3f ms%n", min, avg, max, mdev));
        }
        return sb.toString();
    }
}
