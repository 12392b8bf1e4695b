package netkit.api.netdb;

import java.util.List;

/**
 * A service as {@code getservbyname}/{@code getservbyport} return it (C's {@code struct servent};
 * the port in host order, not network order).
 *
 * @param name the service's official name, e.g. {@code "domain"}
 * @param aliases other names, e.g. {@code "nameserver"}
 * @param port 0..65535
 * @param protocol {@code "tcp"} or {@code "udp"}
 */
public record ServiceEntry(String name, List<String> aliases, int port, String protocol) {
    /** Copies the aliases; rejects nulls and ports outside 0..65535. */
    public ServiceEntry {
        if (name == null || protocol == null) {
            throw new IllegalArgumentException("name and protocol are required");
        }
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        aliases = List.copyOf(aliases);
    }
}
