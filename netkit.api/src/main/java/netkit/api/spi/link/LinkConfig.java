package netkit.api.spi.link;

import java.util.Map;
import netkit.api.buffer.PacketPool;

/**
 * What an interface asks of its link.
 *
 * @param iface      interface name
 * @param mtu        requested MTU, 0 for the driver's default
 * @param mac        requested MAC, 0 to let the driver choose
 * @param parameters driver-specific parameters (e.g. {@code segment} for the wire driver)
 * @param pool       the stack's packet buffers: a driver that copies received frames takes their
 *                   buffers from it
 */
public record LinkConfig(String iface, int mtu, long mac, Map<String, String> parameters, PacketPool pool) {
    /** A parameter, or {@code fallback} when absent or blank. */
    public String parameter(String key, String fallback) {
        String v = parameters == null ? null : parameters.get(key);
        return v == null || v.isBlank() ? fallback : v.trim();
    }
}
