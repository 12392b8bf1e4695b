package netkit.console;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * {@code netkit:sysctl}: the tunables of netkit's singleton PIDs ({@code netkit.stack},
 * {@code netkit.tcp}, {@code netkit.icmp}, {@code netkit.dns}) as Linux's {@code sysctl} shows
 * kernel parameters, {@code PID.property = value}, from Config Admin and, for properties not set, the
 * Metatype default. {@code sysctl PID.property=VALUE} (with or without {@code -w}) checks the value
 * against the Metatype (type, range, option list) before anything changes, writes it to
 * {@code etc/PID.cfg} (whole, in one step, other properties kept, see {@link EtcFiles}) and updates the
 * configuration through Config Admin. Needs the Metatype Service (optional import: without it the
 * command is not registered).
 */
@Component(service = SysctlCommand.class, property = {"osgi.command.scope=netkit", "osgi.command.function=sysctl"})
public final class SysctlCommand {
    private final ConfigurationAdmin cm;
    private final MetaTypeService metatype;
    private final BundleContext context;

    @Activate
    public SysctlCommand(@Reference ConfigurationAdmin cm, @Reference MetaTypeService metatype, BundleContext context) {
        this.cm = cm;
        this.metatype = metatype;
        this.context = context;
    }

    /** Every tunable with its value. */
    @Descriptor("list netkit's tunables as PID.property = value (Config Admin, else the Metatype default)")
    public String sysctl() throws IOException, InvalidSyntaxException {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, ObjectClassDefinition> e : pids().entrySet()) {
            Dictionary<String, Object> p = properties(e.getKey());
            for (AttributeDefinition ad : attributes(e.getValue())) {
                sb.append(line(e.getKey(), ad, p));
            }
        }
        return sb.toString();
    }

    /** Shows or sets tunables: {@code [-w|-a] PID|PID.property[=VALUE]...}. */
    @Descriptor("show or set tunables: sysctl [-a] | sysctl PID | sysctl [-w] PID.property[=VALUE]...  e.g. "
            + "sysctl -w netkit.tcp.congestionControl=reno")
    public String sysctl(@Descriptor("-w, -a, PID.property or PID.property=VALUE") String first,
            @Descriptor("more") String... rest) throws IOException, InvalidSyntaxException {
        List<String> args = new ArrayList<>();
        args.add(first);
        args.addAll(List.of(rest));
        args.removeIf(a -> a.equals("-w") || a.equals("-q") || a.equals("-n"));
        if (args.isEmpty() || args.equals(List.of("-a"))) {
            return sysctl();
        }
        Map<String, ObjectClassDefinition> pids = pids();
        // Every argument is checked before the first change (Linux sysctl checks each as it goes).
        List<String[]> changes = new ArrayList<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            String key = (eq < 0 ? a : a.substring(0, eq)).trim();
            if (eq < 0 && pids.containsKey(key)) { // a whole PID, as sysctl lists a directory
                for (AttributeDefinition ad : attributes(pids.get(key))) {
                    changes.add(new String[] {key, ad.getID(), null});
                }
                continue;
            }
            String pid = pidOf(key, pids);
            String prop = key.substring(pid.length() + 1);
            AttributeDefinition ad = attribute(pids.get(pid), prop);
            if (ad == null) {
                throw new IllegalArgumentException("sysctl: cannot stat " + key + ": no property " + prop + " in " + pid);
            }
            String value = eq < 0 ? null : a.substring(eq + 1).trim();
            if (value != null) {
                check(key, ad, value);
            }
            changes.add(new String[] {pid, prop, value});
        }
        StringBuilder sb = new StringBuilder();
        for (String[] c : changes) {
            if (c[2] != null) {
                set(c[0], c[1], c[2]);
            }
            sb.append(line(c[0], attribute(pids.get(c[0]), c[1]), properties(c[0])));
        }
        return sb.toString();
    }

    private void set(String pid, String prop, String value) throws IOException, InvalidSyntaxException {
        Configuration c = existing(pid);
        if (c == null) {
            c = cm.getConfiguration(pid, "?");
        }
        Dictionary<String, Object> p = c.getProperties() != null ? c.getProperties() : new Hashtable<>();
        // As FileInstall delivers a .cfg file's values: strings, which DS converts to the property's type
        // (several values of a multi-valued property stay one comma-separated string, as the PIDs read them).
        p.put(prop, value);
        EtcFiles.writeSingleton(pid, p);
        EtcFiles.unlock(c);
        c.update(p);
    }

    /**
     * Refuses a value the Metatype does not allow, with one line naming it: type first (the Metatype
     * Service's own check names no type), then what the Metatype Service says (range, options).
     */
    static void check(String key, AttributeDefinition ad, String value) {
        List<String> values = new ArrayList<>();
        if (ad.getCardinality() == 0) {
            values.add(value);
        } else {
            for (String v : value.split(",")) {
                values.add(v.trim());
            }
        }
        String[] options = ad.getOptionValues();
        for (String v : values) {
            String problem = typeProblem(ad.getType(), v);
            if (problem == null && options != null && options.length > 0 && !List.of(options).contains(v)) {
                problem = "not one of " + String.join(", ", options);
            }
            if (problem == null) {
                String said = ad.validate(v);
                if (said != null && !said.isEmpty()) {
                    problem = said.startsWith("%") ? said.substring(1) : said;
                }
            }
            if (problem != null) {
                throw new IllegalArgumentException("sysctl: " + key + ": invalid value '" + v + "' (" + problem
                        + ")" + range(ad) + "; nothing changed");
            }
        }
    }

    private static String typeProblem(int type, String v) {
        try {
            switch (type) {
                case AttributeDefinition.INTEGER -> Integer.parseInt(v);
                case AttributeDefinition.LONG -> Long.parseLong(v);
                case AttributeDefinition.SHORT -> Short.parseShort(v);
                case AttributeDefinition.BYTE -> Byte.parseByte(v);
                case AttributeDefinition.DOUBLE -> Double.parseDouble(v);
                case AttributeDefinition.FLOAT -> Float.parseFloat(v);
                case AttributeDefinition.BOOLEAN -> {
                    if (!v.equals("true") && !v.equals("false")) {
                        return "not true or false";
                    }
                }
                default -> { }
            }
            return null;
        } catch (NumberFormatException e) {
            return "not " + (type == AttributeDefinition.INTEGER ? "an integer" : type == AttributeDefinition.LONG
                    ? "a long integer" : "a number");
        }
    }

    /** The default and the description, for the error line. */
    private static String range(AttributeDefinition ad) {
        String[] d = ad.getDefaultValue();
        return d == null || d.length == 0 ? "" : "; default " + String.join(",", d);
    }

    private static String line(String pid, AttributeDefinition ad, Dictionary<String, Object> p) {
        Object v = p == null ? null : p.get(ad.getID());
        String value;
        if (v == null) {
            String[] d = ad.getDefaultValue();
            value = d == null ? "" : String.join(",", d);
        } else if (v instanceof Object[] a) {
            List<String> s = new ArrayList<>();
            for (Object o : a) {
                s.add(String.valueOf(o));
            }
            value = String.join(",", s);
        } else if (v instanceof java.util.Collection<?> col) {
            List<String> s = new ArrayList<>();
            col.forEach(o -> s.add(String.valueOf(o)));
            value = String.join(",", s);
        } else {
            value = String.valueOf(v);
        }
        return pid + "." + ad.getID() + " = " + value + "\n";
    }

    /** The longest PID that {@code key} starts with followed by a dot. */
    private static String pidOf(String key, Map<String, ObjectClassDefinition> pids) {
        String found = null;
        for (String pid : pids.keySet()) {
            if (key.startsWith(pid + ".") && (found == null || pid.length() > found.length())) {
                found = pid;
            }
        }
        if (found == null) {
            throw new IllegalArgumentException("sysctl: cannot stat " + key + ": not PID.property of a netkit PID ("
                    + String.join(", ", pids.keySet()) + ")");
        }
        return found;
    }

    private static AttributeDefinition attribute(ObjectClassDefinition ocd, String id) {
        for (AttributeDefinition ad : attributes(ocd)) {
            if (ad.getID().equals(id)) {
                return ad;
            }
        }
        return null;
    }

    private static List<AttributeDefinition> attributes(ObjectClassDefinition ocd) {
        AttributeDefinition[] all = ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
        return all == null ? List.of() : List.of(all);
    }

    /** The singleton PIDs of netkit's bundles with their definitions, by PID. */
    private Map<String, ObjectClassDefinition> pids() {
        Map<String, ObjectClassDefinition> out = new TreeMap<>();
        for (Bundle b : context.getBundles()) {
            String bsn = b.getSymbolicName();
            if (bsn == null || !bsn.startsWith("netkit.")) {
                continue;
            }
            MetaTypeInformation info = metatype.getMetaTypeInformation(b);
            if (info == null || info.getPids() == null) {
                continue;
            }
            for (String pid : info.getPids()) {
                ObjectClassDefinition ocd = info.getObjectClassDefinition(pid, null);
                if (ocd != null) {
                    out.put(pid, ocd);
                }
            }
        }
        return out;
    }

    private Configuration existing(String pid) throws IOException, InvalidSyntaxException {
        Configuration[] c = cm.listConfigurations("(" + org.osgi.framework.Constants.SERVICE_PID + "=" + pid + ")");
        return c == null || c.length == 0 ? null : c[0];
    }

    private Dictionary<String, Object> properties(String pid) throws IOException, InvalidSyntaxException {
        Configuration c = existing(pid);
        return c == null ? null : c.getProperties();
    }
}
