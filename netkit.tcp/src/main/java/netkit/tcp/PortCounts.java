package netkit.tcp;

import java.util.HashMap;
import java.util.Map;

/**
 * Local ports counted by how many connections of one kind hold them: those in TIME_WAIT (binding
 * such a port needs SO_REUSEADDR, BSD sockets' rule; RFC 9293 §3.4.2 keeps the 4-tuple unusable for
 * 2·MSL), or those a connect chose (several destinations may share one, RFC 6056).
 */
final class PortCounts {
    private final Map<Integer, Integer> connections = new HashMap<>();
    private int total;

    /** A connection now holds {@code port}. */
    void add(int port) {
        connections.merge(port, 1, Integer::sum);
        total++;
    }

    /** A connection holding {@code port} let it go. */
    void remove(int port) {
        Integer n = connections.get(port);
        if (n == null) {
            return;
        }
        if (n > 1) {
            connections.put(port, n - 1);
        } else {
            connections.remove(port);
        }
        total--;
    }

    /** Whether a connection holds {@code port}. */
    boolean contains(int port) {
        return connections.containsKey(port);
    }

    /** Connections counted, over all ports. */
    int total() {
        return total;
    }
}
