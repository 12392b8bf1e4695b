package netkit.tcp;

import java.util.HashMap;
import java.util.Map;

/**
 * The local ports held by connections in TIME_WAIT, counted per port: binding such a port needs
 * SO_REUSEADDR (BSD sockets' rule; RFC 9293 §3.4.2 keeps the 4-tuple unusable for 2·MSL).
 */
final class TimeWaitPorts {
    private final Map<Integer, Integer> connections = new HashMap<>();

    /** A connection on {@code port} entered TIME_WAIT. */
    void add(int port) {
        connections.merge(port, 1, Integer::sum);
    }

    /** A TIME_WAIT connection on {@code port} is gone. */
    void remove(int port) {
        connections.computeIfPresent(port, (p, n) -> n > 1 ? n - 1 : null);
    }

    /** Whether a TIME_WAIT connection holds {@code port}. */
    boolean contains(int port) {
        return connections.containsKey(port);
    }
}
