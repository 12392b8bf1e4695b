package netkit.stack.osgi;

import java.util.LinkedHashMap;
import java.util.Map;
import netkit.api.SockAddr;
import netkit.api.wire.MacAddress;
import netkit.stack.iface.InterfaceConfig;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * One interface per factory configuration of {@value #FACTORY_PID}: created, changed at runtime
 * (a changed driver swaps the link under live sockets) and removed with its configuration.
 */
@Component(configurationPid = InterfaceComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = InterfaceComponent.Config.class, factory = true)
public final class InterfaceComponent {
    /** Factory PID of interface configurations. */
    public static final String FACTORY_PID = "netkit.interface";

    /** An interface's configuration. */
    @ObjectClassDefinition(name = "netkit interface", description = "An IPv4 interface over a link driver, one configuration per interface (factory PID netkit.interface; file etc/netkit.interface-NAME.cfg)")
    public @interface Config {
        /** Interface name. */
        @AttributeDefinition(name = "Interface name", description = "Interface name, e.g. eth0")
        String name();

        /** Driver name. */
        @AttributeDefinition(name = "Link driver", description = "The link driver under the interface: loopback, "
                + "wire (in-JVM Ethernet segment), pair (two interfaces back to back), vxlan (RFC 7348 over a host UDP "
                + "socket), tap (a Linux TAP device, JDK 22+); a changed driver swaps the link under live sockets",
                options = {@Option(label = "loopback", value = "loopback"),
                    @Option(label = "wire (in-JVM Ethernet segment)", value = "wire"),
                    @Option(label = "pair (veth-like, two interfaces back to back)", value = "pair"),
                    @Option(label = "vxlan (RFC 7348 over host UDP)", value = "vxlan"),
                    @Option(label = "tap (Linux TAP device, JDK 22+)", value = "tap")})
        String driver() default "wire";

        /** Address with prefix. */
        @AttributeDefinition(name = "IPv4 address/prefix", description = "IPv4 address with prefix, e.g. 10.0.0.1/24 (empty: none); ignored "
                + "when dhcp is on")
        String address() default "";

        /** DHCP. */
        @AttributeDefinition(name = "DHCP", description = "Obtain address, prefix, default gateway, MTU and name "
                + "servers by DHCP (RFC 2131; needs the netkit.dhcp bundle); address and gateway are then ignored")
        boolean dhcp() default false;

        /** MTU. */
        @AttributeDefinition(name = "MTU", description = "MTU (0: the driver's)", min = "0", max = "65535")
        int mtu() default 0;

        /** Default gateway. */
        @AttributeDefinition(name = "Default gateway", description = "Default gateway through this interface (empty: none); ignored when "
                + "dhcp is on")
        String gateway() default "";

        /** MAC. */
        @AttributeDefinition(name = "MAC address", description = "MAC address (empty: the one the interface had, else the driver chooses)")
        String mac() default "";

        /** Administrative state. */
        @AttributeDefinition(name = "Up", description = "Administratively up")
        boolean up() default true;

        /** Driver parameters. */
        @AttributeDefinition(name = "Driver parameters", description = "Driver parameters as key=value; one value "
                + "may hold several separated by spaces (as a .cfg file line can). wire: segment; pair: pair; vxlan: local, "
                + "remote, flood, vni, dstport, srcport, rcvbuf; tap: device; every driver: the impairments loss, duplicate, "
                + "reorder, corrupt, delay, jitter, rate, seed, direction. A key the driver does not take is refused")
        String[] parameters() default {};
    }

    private final StackHolder holder;
    private String name;

    @Activate
    public InterfaceComponent(@Reference StackHolder holder, Config config) {
        this.holder = holder;
        apply(config);
    }

    @Modified
    void modified(Config config) {
        apply(config);
    }

    private void apply(Config c) {
        InterfaceConfig cfg = parse(c);
        if (name != null && !name.equals(cfg.name())) {
            holder.stack().removeInterface(name);
        }
        name = cfg.name();
        holder.stack().configure(cfg);
    }

    @Deactivate
    void deactivate() {
        if (name != null && holder.stack() != null) {
            holder.stack().removeInterface(name);
        }
    }

    /** Turns the configuration into an {@link InterfaceConfig}; IllegalArgumentException when bad. */
    static InterfaceConfig parse(Config c) {
        int address = 0;
        int prefix = 0;
        String a = c.address() == null || c.dhcp() ? "" : c.address().trim(); // the lease brings the address
        if (!a.isEmpty()) {
            int slash = a.indexOf('/');
            address = SockAddr.parseAddress(slash < 0 ? a : a.substring(0, slash));
            prefix = slash < 0 ? 24 : Integer.parseInt(a.substring(slash + 1));
        }
        String gw = c.gateway() == null || c.dhcp() ? "" : c.gateway().trim();
        String mac = c.mac() == null ? "" : c.mac().trim();
        Map<String, String> params = new LinkedHashMap<>();
        for (String value : c.parameters()) {
            for (String kv : value.trim().split("\\s+")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    params.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
                }
            }
        }
        return new InterfaceConfig(c.name(), c.driver(), address, prefix, c.mtu(),
                gw.isEmpty() ? 0 : SockAddr.parseAddress(gw), mac.isEmpty() ? 0 : MacAddress.parse(mac), c.up(),
                Map.copyOf(params)).validate();
    }
}
