package netkit.console;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import netkit.api.SockAddr;
import netkit.api.admin.InterfaceStatus;
import netkit.api.admin.LinkCounters;
import netkit.api.admin.NetworkAdmin;
import netkit.api.spi.impair.ImpairmentParameters;
import netkit.api.spi.link.LinkDriver;
import netkit.api.wire.MacAddress;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code netkit:ifconfig}: shows interfaces, and configures them through Config Admin (factory
 * PID {@code netkit.interface}), so console changes and configuration files are one mechanism.
 * Parameter keys are checked against the driver here, when it is present, because Config Admin
 * applies changes asynchronously and the stack's refusal would not reach the console.
 */
@Component(service = InterfaceCommands.class, property = {"osgi.command.scope=netkit",
    "osgi.command.function=ifconfig"})
public final class InterfaceCommands {
    static final String FACTORY_PID = "netkit.interface";
    private static final Pattern ADDRESS = Pattern.compile("(\\d+\\.\\d+\\.\\d+\\.\\d+)(?:/(\\d+))?");

    private final NetworkAdmin admin;
    private final ConfigurationAdmin cm;
    private final Map<String, LinkDriver> drivers = new ConcurrentHashMap<>();

    @Activate
    public InterfaceCommands(@Reference NetworkAdmin admin, @Reference ConfigurationAdmin cm) {
        this.admin = admin;
        this.cm = cm;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDriver(LinkDriver d) {
        drivers.put(d.name(), d);
    }

    void removeDriver(LinkDriver d) {
        drivers.remove(d.name(), d);
    }

    /** The names of the link drivers present. */
    Set<String> driverNames() {
        return new TreeSet<>(drivers.keySet());
    }

    /** The link driver called {@code name}, or null when it is not present. */
    LinkDriver driver(String name) {
        return drivers.get(name);
    }

    /** Every interface. */
    @Descriptor("show all interfaces")
    public String ifconfig() {
        StringBuilder sb = new StringBuilder();
        for (InterfaceStatus s : admin.interfaces()) {
            sb.append(format(s));
        }
        return sb.toString();
    }

    /** One interface, or a change to it. */
    @Descriptor("show or configure an interface: ifconfig IFACE [ADDR/PREFIX|dhcp|static ADDR/PREFIX|nodhcp] "
            + "[up|down] [mtu N] [driver D] [gw ADDR] [mac MAC] [param KEY=VALUE]... [delete]")
    public String ifconfig(@Descriptor("interface name") String name, @Descriptor("settings") String... settings)
            throws IOException, InvalidSyntaxException {
        if (settings.length == 0) {
            InterfaceStatus s = find(name);
            if (s == null) {
                throw new IllegalArgumentException("no interface " + name);
            }
            return format(s);
        }
        Configuration c = configuration(name);
        Dictionary<String, Object> before = c.getProperties();
        Dictionary<String, Object> p = c.getProperties() != null ? c.getProperties() : new Hashtable<>();
        InterfaceStatus current = find(name);
        p.put("name", name);
        if (p.get("driver") == null) {
            p.put("driver", current != null ? current.driver() : "wire");
        }
        if (p.get("address") == null && current != null && current.address() != 0 && current.lease() == null) {
            p.put("address", SockAddr.formatAddress(current.address()) + "/" + current.prefix());
        }
        List<String> params = parameters(p.get("parameters"));
        for (int i = 0; i < settings.length; i++) {
            String s = settings[i];
            switch (s) {
                case "dhcp" -> p.put("dhcp", true);
                case "nodhcp" -> p.put("dhcp", false);
                case "static" -> {
                    p.put("dhcp", false);
                    p.put("address", address(arg(settings, ++i, s)));
                }
                case "up" -> p.put("up", true);
                case "down" -> p.put("up", false);
                case "mtu" -> p.put("mtu", mtu(arg(settings, ++i, s)));
                case "driver" -> p.put("driver", arg(settings, ++i, s));
                case "gw" -> p.put("gateway", gateway(arg(settings, ++i, s)));
                case "mac" -> p.put("mac", mac(arg(settings, ++i, s)));
                case "param" -> {
                    String kv = arg(settings, ++i, s);
                    if (kv.equals("-")) {
                        params.clear(); // forget the parameters so far (a driver swap)
                        continue;
                    }
                    String key = kv.contains("=") ? kv.substring(0, kv.indexOf('=')) : kv;
                    params.removeIf(x -> x.startsWith(key + "="));
                    if (kv.contains("=")) {
                        params.add(kv);
                    }
                }
                case "delete" -> {
                    EtcFiles.unlock(c);
                    c.delete();
                    EtcFiles.delete(before);
                    awaitGone(name);
                    return "deleted " + name + "\n";
                }
                default -> {
                    if (Boolean.parseBoolean(String.valueOf(p.get("dhcp")))) {
                        throw new IllegalArgumentException(name + " takes its address by DHCP: 'static " + s
                                + "' sets it instead; " + name + " left as it is");
                    }
                    p.put("address", address(s));
                }
            }
        }
        String driver = (String) p.get("driver");
        if ((current == null || !driver.equals(current.driver())) && !drivers.containsKey(driver)) {
            throw new IllegalArgumentException("no link driver " + driver + " (present: "
                    + String.join(" ", driverNames()) + "); " + name + (current == null ? " not created"
                    : " left as it is"));
        }
        checkParameters(driver, params);
        p.put("parameters", params.toArray(new String[0]));
        EtcFiles.write(FACTORY_PID, name, p);
        EtcFiles.unlock(c);
        c.update(p);
        // Config Admin delivers the change asynchronously: answer once the stack has applied it (an
        // unchanged configuration is applied too, and retries a link that failed to open).
        InterfaceStatus applied = awaitApplied(name, current == null ? 0 : current.revision());
        if (applied == null) {
            return "configured " + name + " (not applied yet)\n";
        }
        if (applied.lastError() != null) {
            throw new IllegalStateException(name + ": the " + applied.driver() + " link failed: " + applied.lastError()
                    + "; " + rollBack(c, name, before, applied.revision()));
        }
        String done = "configured " + name + (applied.linkPresent() ? ""
                : " (driver " + applied.driver() + " not present: " + name + " waits for it)") + "\n";
        return Boolean.parseBoolean(String.valueOf(p.get("dhcp"))) && applied.linkPresent() ? done + LeaseFormat.await(name, () -> find(name))
                : done;
    }

    /**
     * Puts back the configuration a change replaced because its link did not open (or deletes the
     * new interface), and says so.
     */
    private String rollBack(Configuration c, String name, Dictionary<String, Object> before, long revision)
            throws IOException {
        if (before == null) {
            Dictionary<String, Object> made = c.getProperties();
            EtcFiles.unlock(c);
            c.delete();
            EtcFiles.delete(made);
            awaitGone(name);
            return name + " not created";
        }
        EtcFiles.write(FACTORY_PID, name, before);
        EtcFiles.unlock(c);
        c.update(before);
        InterfaceStatus restored = awaitApplied(name, revision);
        return "previous configuration of " + name + " restored" + (restored != null && restored.running() ? ""
                : restored != null && restored.lastError() != null ? " (not running: " + restored.lastError() + ")"
                : " (not running)");
    }

    private void awaitGone(String name) {
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (find(name) != null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * The stored driver parameters as one {@code key=value} per entry, whatever their shape: an
     * {@code etc/} file read by FileInstall gives one string ({@code parameters = local=... vni=42}),
     * the console writes a {@code String[]}, other writers a collection; entries may hold several
     * pairs separated by white space, as the stack reads them.
     */
    static List<String> parameters(Object stored) {
        List<Object> entries = stored instanceof Object[] a ? List.of(a)
                : stored instanceof java.util.Collection<?> c ? List.copyOf(c)
                : stored == null ? List.of() : List.of(stored);
        List<String> params = new ArrayList<>();
        for (Object entry : entries) {
            for (String kv : String.valueOf(entry).trim().split("\\s+")) {
                if (!kv.isEmpty()) {
                    params.add(kv);
                }
            }
        }
        return params;
    }

    /**
     * Refuses keys the driver (when present) does not take, with the stack's own check, and
     * impairment values the stack would refuse.
     */
    private void checkParameters(String driver, List<String> params) {
        Map<String, String> values = new HashMap<>();
        for (String entry : params) {
            for (String kv : entry.trim().split("\\s+")) {
                values.put(kv.contains("=") ? kv.substring(0, kv.indexOf('=')) : kv,
                        kv.contains("=") ? kv.substring(kv.indexOf('=') + 1) : "");
            }
        }
        LinkDriver d = drivers.get(driver);
        if (d != null) {
            ImpairmentParameters.checkKeys(d.name(), d.parameterKeys(), values);
        }
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (ImpairmentParameters.KEYS.contains(e.getKey())) {
                try {
                    ImpairmentParameters.parse(Map.of(e.getKey(), e.getValue()), 0);
                } catch (IllegalArgumentException bad) {
                    throw new IllegalArgumentException("param " + e.getKey() + "=" + e.getValue() + ": "
                            + (bad instanceof NumberFormatException ? "not a number" : bad.getMessage()));
                }
            }
        }
        try {
            ImpairmentParameters.parse(values, 0);
        } catch (NumberFormatException bad) {
            throw new IllegalArgumentException("param: a value is not a number (" + bad.getMessage() + ")");
        }
    }

    /** {@code ADDR[/PREFIX]} checked, with the prefix (24 when absent). */
    private static String address(String s) {
        Matcher m = ADDRESS.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("unexpected '" + s + "'");
        }
        SockAddr.parseAddress(m.group(1));
        if (m.group(2) == null) {
            return s + "/24";
        }
        if (m.group(2).length() > 2 || Integer.parseInt(m.group(2)) > 32) {
            throw new IllegalArgumentException("prefix out of range (0..32) in '" + s + "'");
        }
        return s;
    }

    /** An MTU as the stack takes it: 0 (the driver's) or 68..65535 (RFC 791 3.2). */
    private static int mtu(String s) {
        int mtu;
        try {
            mtu = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("mtu '" + s + "' is not a number");
        }
        if (mtu != 0 && (mtu < 68 || mtu > 65535)) {
            throw new IllegalArgumentException("mtu must be 68..65535 (or 0: the driver's), got " + mtu);
        }
        return mtu;
    }

    private static String gateway(String s) {
        try {
            SockAddr.parseAddress(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("gw: " + e.getMessage());
        }
        return s;
    }

    private static String mac(String s) {
        try {
            MacAddress.parse(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a MAC address: '" + s + "'");
        }
        return s;
    }

    /** The interface's status once a configuration newer than {@code revision} is applied; null after 3 s. */
    private InterfaceStatus awaitApplied(String name, long revision) {
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < deadline) {
            InterfaceStatus s = find(name);
            if (s != null && s.revision() > revision) {
                return s;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    private static String arg(String[] a, int i, String what) {
        if (i >= a.length) {
            throw new IllegalArgumentException(what + " needs a value");
        }
        return a[i];
    }

    private InterfaceStatus find(String name) {
        for (InterfaceStatus s : admin.interfaces()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    private Configuration configuration(String name) throws IOException, InvalidSyntaxException {
        if (!name.matches("[A-Za-z][A-Za-z0-9_.-]{0,14}")) {
            throw new IllegalArgumentException("bad interface name '" + name + "'");
        }
        Configuration[] existing = cm.listConfigurations("(&(service.factoryPid=" + FACTORY_PID + ")(name=" + name
                + "))");
        if (existing != null && existing.length > 0) {
            return existing[0];
        }
        return cm.getFactoryConfiguration(FACTORY_PID, name, "?");
    }

    /** One interface in the manner of {@code ip -s addr}. */
    static String format(InterfaceStatus s) {
        List<String> flags = new ArrayList<>();
        flags.add(s.up() ? "UP" : "DOWN");
        switch (s.linkKind()) {
            case LOOPBACK -> flags.add("LOOPBACK");
            case ETHERNET -> flags.add("BROADCAST");
            case NONE -> { } // no link, no link flags
        }
        if (s.running()) {
            flags.add("RUNNING");
        }
        LinkCounters c = s.counters();
        StringBuilder sb = new StringBuilder();
        sb.append(s.name()).append(": <").append(String.join(",", flags)).append("> mtu ").append(s.mtu())
                .append(" driver ").append(s.driver())
                .append(s.linkPresent() ? "" : s.lastError() != null ? " (failed: " + s.lastError() + ")" : " (absent)")
                .append('\n');
        switch (s.linkKind()) {
            case ETHERNET -> sb.append("    link/ether ").append(MacAddress.format(s.mac()))
                    .append(" brd ff:ff:ff:ff:ff:ff\n");
            case LOOPBACK -> sb.append("    link/loopback 00:00:00:00:00:00\n");
            case NONE -> sb.append("    link/none\n");
        }
        if (s.address() != 0) {
            sb.append("    inet ").append(SockAddr.formatAddress(s.address())).append('/').append(s.prefix());
            if (s.prefix() < 31 && s.linkKind() != InterfaceStatus.LinkKind.LOOPBACK) {
                int mask = s.prefix() == 0 ? 0 : -1 << (32 - s.prefix());
                sb.append(" brd ").append(SockAddr.formatAddress(s.address() | ~mask));
            }
            sb.append(LeaseFormat.flag(s)).append('\n').append(LeaseFormat.times(s));
        }
        sb.append(String.format("    RX: packets %d bytes %d errors %d dropped %d%s%n", c.rxPackets(), c.rxBytes(),
                c.rxErrors(), c.rxDropped(), c.rxOverruns() >= 0 ? " overruns " + c.rxOverruns()
                        : c.rxOverruns() == LinkCounters.OVERRUNS_UNKNOWN ? " overruns unknown" : ""));
        sb.append(String.format("    TX: packets %d bytes %d errors %d dropped %d%n", c.txPackets(), c.txBytes(),
                c.txErrors(), c.txDropped()));
        return sb.toString();
    }
}
