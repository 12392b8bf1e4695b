package netkit.stack.iface;

import java.util.Map;

/**
 * Desired configuration of one interface (from Config Admin, the console or plain Java).
 *
 * @param name       interface name ({@code lo0}, {@code eth0})
 * @param driver     link driver name
 * @param address    IPv4 address, 0 for none
 * @param prefix     prefix length 0..32
 * @param mtu        MTU, 0 for the driver's
 * @param gateway    default gateway through this interface, 0 for none
 * @param mac        MAC, 0 to let the driver choose
 * @param up         administratively up
 * @param parameters driver parameters
 */
public record InterfaceConfig(String name, String driver, int address, int prefix, int mtu, int gateway, long mac,
        boolean up, Map<String, String> parameters) {

    /** Checks the values; returns this. */
    public InterfaceConfig validate() {
        if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_.-]{0,14}")) {
            throw new IllegalArgumentException("bad interface name '" + name + "'");
        }
        if (driver == null || driver.isBlank()) {
            throw new IllegalArgumentException("interface " + name + " needs a driver");
        }
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix out of range: " + prefix);
        }
        if (mtu != 0 && (mtu < 68 || mtu > 65535)) {
            throw new IllegalArgumentException("MTU must be 68..65535 (RFC 791 §3.2), got " + mtu);
        }
        return this;
    }

    /** A simple configuration: driver, address/prefix, up. */
    public static InterfaceConfig of(String name, String driver, int address, int prefix) {
        return new InterfaceConfig(name, driver, address, prefix, 0, 0, 0, true, Map.of()).validate();
    }

    /** A copy with driver parameters. */
    public InterfaceConfig withParameters(Map<String, String> p) {
        return new InterfaceConfig(name, driver, address, prefix, mtu, gateway, mac, up, Map.copyOf(p));
    }

    /** A copy with another driver (link swap). */
    public InterfaceConfig withDriver(String d, Map<String, String> p) {
        return new InterfaceConfig(name, d, address, prefix, mtu, gateway, mac, up, Map.copyOf(p));
    }

    /** A copy with a gateway. */
    public InterfaceConfig withGateway(int gw) {
        return new InterfaceConfig(name, driver, address, prefix, mtu, gw, mac, up, parameters);
    }

    /** Network mask of the prefix. */
    public int mask() {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }
}
