package netkit.console;

import java.util.List;

/**
 * What {@code netkit:traceroute} returns: the hops it printed as it went, for Gogo scripts
 * ({@code r = (traceroute -n HOST)}, {@code $r reached}). {@link #text()} is the whole output;
 * {@code toString} is empty, because the command printed every line already.
 *
 * @param host        the host as given
 * @param destination its address
 * @param hops        one entry per TTL tried
 * @param reached     whether the destination answered (port unreachable from it)
 */
public record TracerouteResult(String host, int destination, List<Hop> hops, boolean reached, String text) {
    /**
     * One TTL's probes.
     *
     * @param ttl    the IP time to live of the probes
     * @param probes in the order sent
     */
    public record Hop(int ttl, List<Probe> probes) {
    }

    /**
     * One probe's answer.
     *
     * @param from       who answered (host order), 0 when nothing came in time ({@code *})
     * @param rttMillis  round trip in milliseconds, NaN for none
     * @param annotation Linux traceroute's mark after the time ({@code !H}, {@code !N}, {@code !P}, ...), or ""
     */
    public record Probe(int from, double rttMillis, String annotation) {
    }

    @Override
    public String toString() {
        return "";
    }
}
