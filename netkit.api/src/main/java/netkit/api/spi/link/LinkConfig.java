package netkit.api.spi.link;

import java.util.Map;

/**
 * What an interface asks of its link.
 *
 * @param iface      interface name
 * @param mtu        requested MTU, 0 for the driver's default
 * @param mac        requested MAC, 0 to let the driver choose
 * @param parameters driver-specific parameters (e.g. {@code segment} for the wire driver)
 */
public record LinkConfig(String iface, int mtu, long mac, Map<String, String> parameters) {
    /** A parameter, or {@code fallback} when absent or blank. */
    public String parameter(String key, String fallback) {
        String v = parameters == null ? null : parameters.get(key);
        return v == null || v.isBlank() ? fallback : v.trim();
    }
}
