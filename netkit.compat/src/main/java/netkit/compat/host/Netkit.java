package netkit.compat.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.spi.link.LinkDriver;
import netkit.api.time.RealTimeLoop;
import netkit.icmp.IcmpProtocol;
import netkit.icmp.RawIcmpProtocol;
import netkit.link.loopback.LoopbackDriver;
import netkit.link.vxlan.VxlanDriver;
import netkit.link.wire.WireDriver;
import netkit.link.wire.WireHub;
import netkit.stack.Stack;
import netkit.stack.StackSettings;
import netkit.stack.iface.InterfaceConfig;
import netkit.tcp.TcpProtocol;
import netkit.tcp.TcpSettings;
import netkit.udp.UdpProtocol;

/**
 * The plain-Java entry point: builds a complete netkit host (a {@link Stack} on its own real-time
 * loop with TCP, UDP and ICMP (ping and raw sockets), the {@code loopback}, {@code wire} and {@code vxlan} drivers, and
 * {@code lo0} 127.0.0.1/8) and hands out {@code java.net} factories for it.
 *
 * <pre>{@code
 * try (NetkitHost a = Netkit.stack().name("a").address("10.0.0.1/24").link("wire", "segment=lan").build();
 *      NetkitHost b = Netkit.stack().name("b").address("10.0.0.2/24").link("wire", "segment=lan").build()) {
 *     ServerSocket server = b.serverSocketFactory().createServerSocket(8080);
 *     Socket client = a.socketFactory().createSocket("10.0.0.2", 8080);
 * }
 * }</pre>
 *
 * <p>Every host built here shares one in-JVM {@code wire} hub, so hosts naming the same
 * {@code segment} are on one Ethernet segment. Driver parameters are those of the console's
 * {@code link add} and of Config Admin ({@code segment=lan}, {@code loss=1%}, {@code seed=7},
 * {@code local=…}/{@code remote=…} for {@code vxlan}, ...). Not for use inside an OSGi framework:
 * there the runtime builds the stack and the factories are services.
 */
public final class Netkit {
    private Netkit() {
    }

    /** A builder of a host. */
    public static Builder stack() {
        return new Builder();
    }

    /** The wire driver of this JVM: one hub, its delays on one real-time loop, created on first use. */
    static WireDriver wire() {
        return Wire.DRIVER;
    }

    private static final class Wire {
        static final WireDriver DRIVER = new WireDriver(new WireHub(new RealTimeLoop("netkit-wire")));
    }

    /** Settings of a host; each method checks its argument and throws IllegalArgumentException when it is bad. */
    public static final class Builder {
        private String name = "netkit";
        private boolean loopback = true;
        private StackSettings settings = StackSettings.defaults();
        private TcpSettings tcp = TcpSettings.defaults();
        private Long seed;
        private final List<LinkDriver> drivers = new ArrayList<>();
        private final List<Iface> ifaces = new ArrayList<>();

        private Builder() {
        }

        /** The stack's name (shown by admin tools, owner name of {@link NetkitHost#sockets()}); default {@code netkit}. */
        public Builder name(String stackName) {
            if (stackName == null || stackName.isBlank()) {
                throw new IllegalArgumentException("a stack needs a name");
            }
            this.name = stackName;
            return this;
        }

        /** Whether to create {@code lo0} 127.0.0.1/8 (default true). */
        public Builder loopback(boolean on) {
            this.loopback = on;
            return this;
        }

        /** Stack tunables (socket table, quotas, ARP, reassembly, ...). */
        public Builder settings(StackSettings s) {
            this.settings = Objects.requireNonNull(s, "settings");
            return this;
        }

        /** TCP tunables. */
        public Builder tcp(TcpSettings s) {
            this.tcp = Objects.requireNonNull(s, "tcp settings");
            return this;
        }

        /** Seed of the stack's reproducible choices (not of its secrets); default: the clock. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** Another link driver (for example TAP), besides {@code loopback}, {@code wire} and {@code vxlan}. */
        public Builder driver(LinkDriver d) {
            drivers.add(Objects.requireNonNull(d, "driver"));
            return this;
        }

        /**
         * Starts the next interface, called {@code ifaceName}; {@link #address}, {@link #link},
         * {@link #mtu} and {@link #gateway} then apply to it. Without this call they apply to {@code eth0}.
         */
        public Builder iface(String ifaceName) {
            ifaces.add(new Iface(ifaceName));
            return this;
        }

        /** The current interface's address and prefix, {@code a.b.c.d/p}. */
        public Builder address(String cidr) {
            int slash = cidr == null ? -1 : cidr.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("expected a.b.c.d/prefix, got '" + cidr + "'");
            }
            int prefix;
            try {
                prefix = Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix in '" + cidr + "'");
            }
            if (prefix < 0 || prefix > 32) {
                throw new IllegalArgumentException("prefix out of range in '" + cidr + "'");
            }
            Iface i = current();
            i.address = SockAddr.parseAddress(cidr.substring(0, slash));
            i.prefix = prefix;
            return this;
        }

        /**
         * The current interface's link driver and its parameters, each {@code key=value}:
         * {@code link("wire", "segment=lan", "loss=1%", "seed=7")}.
         */
        public Builder link(String driver, String... parameters) {
            if (driver == null || driver.isBlank()) {
                throw new IllegalArgumentException("a link needs a driver name");
            }
            Map<String, String> p = new LinkedHashMap<>();
            for (String kv : parameters) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("expected key=value, got '" + kv + "'");
                }
                p.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
            Iface i = current();
            i.driver = driver;
            i.parameters = p;
            return this;
        }

        /** The current interface's MTU (0: the driver's). */
        public Builder mtu(int mtu) {
            current().mtu = mtu;
            return this;
        }

        /** A default route through the current interface to {@code gateway} (a dotted quad). */
        public Builder gateway(String gatewayAddress) {
            current().gateway = SockAddr.parseAddress(gatewayAddress);
            return this;
        }

        private Iface current() {
            if (ifaces.isEmpty()) {
                ifaces.add(new Iface("eth0"));
            }
            return ifaces.get(ifaces.size() - 1);
        }

        /**
         * Builds and starts the host.
         *
         * @throws IllegalArgumentException when an interface has no link or names a driver the host
         *                                  does not have, or the stack refuses its configuration
         */
        public NetkitHost build() {
            List<InterfaceConfig> configs = new ArrayList<>();
            List<LinkDriver> all = new ArrayList<>(List.of(new LoopbackDriver(), wire(), new VxlanDriver()));
            all.addAll(drivers);
            for (Iface i : ifaces) {
                if (i.driver == null) {
                    throw new IllegalArgumentException("interface " + i.name + " needs link(driver, ...)");
                }
                if (all.stream().noneMatch(d -> d.name().equals(i.driver))) {
                    throw new IllegalArgumentException("interface " + i.name + ": no driver '" + i.driver + "'");
                }
                configs.add(new InterfaceConfig(i.name, i.driver, i.address, i.prefix, i.mtu, i.gateway, 0, true,
                        Map.copyOf(i.parameters)).validate());
            }
            Stack s = new Stack(name, null, settings, seed != null ? seed : System.nanoTime());
            try {
                all.forEach(s::addDriver);
                s.addProtocol(new TcpProtocol(tcp));
                s.addProtocol(new UdpProtocol());
                s.addProtocol(new IcmpProtocol());
                s.addProtocol(new RawIcmpProtocol());
                if (loopback) {
                    s.configure(InterfaceConfig.of("lo0", "loopback", Net.INADDR_LOOPBACK, 8));
                }
                configs.forEach(s::configure);
                return new NetkitHost(s, name);
            } catch (RuntimeException e) {
                s.close();
                throw e;
            }
        }
    }

    /** An interface being described. */
    private static final class Iface {
        final String name;
        String driver;
        Map<String, String> parameters = Map.of();
        int address;
        int prefix;
        int mtu;
        int gateway;

        Iface(String name) {
            this.name = name;
        }
    }
}
