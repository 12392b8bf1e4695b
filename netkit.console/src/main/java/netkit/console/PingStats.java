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

    /** Requests sent. */
    public int transmitted() {
        return transmitted;
    }

    /** The statistics after {@code elapsedMillis}, as a result object printing Linux ping's summary. */
    public PingResult result(String host, long elapsedMillis) {
        double avg = received == 0 ? Double.NaN : sum / received;
        double mdev = received == 0 ? Double.NaN : Math.sqrt(Math.max(0, sumSquares / received - avg * avg));
        return new PingResult(host, transmitted, received, errors, elapsedMillis, received == 0 ? Double.NaN : min,
                avg, received == 0 ? Double.NaN : max, mdev);
    }

    /** The summary lines. */
    public String summary(String host, long elapsedMillis) {
        return result(host, elapsedMillis).summary();
    }
}
