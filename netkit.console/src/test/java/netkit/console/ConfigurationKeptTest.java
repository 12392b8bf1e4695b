package netkit.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import netkit.api.admin.InterfaceStatus;
import netkit.api.admin.LinkCounters;
import netkit.api.admin.NetworkAdmin;
import netkit.api.spi.link.LinkDriver;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A change from the console keeps the properties it does not name, in whatever shape the
 * configuration holds them: an {@code etc/} file read by FileInstall gives {@code parameters} as
 * one string ({@code parameters = local=... remote=... vni=42}), Config Admin as written by the
 * console a {@code String[]}.
 */
class ConfigurationKeptTest {
    private final List<Dictionary<String, Object>> updates = new ArrayList<>();
    private final Dictionary<String, Object> stored = new Hashtable<>();
    private final InterfaceCommands ifconfig = new InterfaceCommands(admin(), configurationAdmin());

    ConfigurationKeptTest() {
        ifconfig.addDriver(driver("vxlan", Set.of("local", "remote", "vni", "flood", "dstport", "srcport")));
    }

    private static <T> T proxy(Class<T> type, java.lang.reflect.InvocationHandler h) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h));
    }

    /** vx0 on vxlan; each update is applied at once (a newer revision). */
    private NetworkAdmin admin() {
        LinkCounters none = new LinkCounters(0, 0, 0, 0, 0, 0, 0, 0, LinkCounters.NO_HOST_BUFFER);
        return proxy(NetworkAdmin.class, (p, m, a) -> m.getName().equals("interfaces")
                ? List.of(new InterfaceStatus("vx0", "vxlan", true, InterfaceStatus.LinkKind.ETHERNET, null,
                        0x020000000001L, 0xc0a84d01, 24, 1450, true, true, none, 1 + updates.size()))
                : null);
    }

    private static LinkDriver driver(String name, Set<String> keys) {
        return proxy(LinkDriver.class, (p, m, a) -> switch (m.getName()) {
            case "name" -> name;
            case "parameterKeys" -> keys;
            default -> null;
        });
    }

    @SuppressWarnings("unchecked")
    private ConfigurationAdmin configurationAdmin() {
        Configuration c = proxy(Configuration.class, (p, m, a) -> switch (m.getName()) {
            case "getProperties" -> copy(stored);
            case "update" -> {
                if (a != null && a.length == 1) {
                    updates.add((Dictionary<String, Object>) a[0]);
                }
                yield null;
            }
            default -> null;
        });
        return proxy(ConfigurationAdmin.class, (p, m, a) -> m.getName().equals("getFactoryConfiguration") ? c : null);
    }

    private static Dictionary<String, Object> copy(Dictionary<String, Object> d) {
        Dictionary<String, Object> c = new Hashtable<>();
        for (var e = d.keys(); e.hasMoreElements();) {
            String k = e.nextElement();
            c.put(k, d.get(k));
        }
        return c;
    }

    private void etcFile(Object parameters) {
        stored.put("name", "vx0");
        stored.put("driver", "vxlan");
        stored.put("address", "192.168.77.1/24");
        stored.put("parameters", parameters);
    }

    @Test
    void anMtuChangeKeepsAOneLineParametersString() throws Exception {
        etcFile("local=10.200.0.1:4789 remote=10.200.0.2:4789 vni=42");
        ifconfig.ifconfig("vx0", "mtu", "1400");
        Dictionary<String, Object> written = updates.get(0);
        assertEquals(1400, written.get("mtu"));
        assertArrayEquals(new String[] {"local=10.200.0.1:4789", "remote=10.200.0.2:4789", "vni=42"},
                (String[]) written.get("parameters"));
        assertEquals("192.168.77.1/24", written.get("address"));
    }

    @Test
    void aParamChangeReplacesOnlyItsKeyInAOneLineString() throws Exception {
        etcFile("local=10.200.0.1:4789 remote=10.200.0.2:4789 vni=42");
        ifconfig.ifconfig("vx0", "param", "vni=43");
        assertArrayEquals(new String[] {"local=10.200.0.1:4789", "remote=10.200.0.2:4789", "vni=43"},
                (String[]) updates.get(0).get("parameters"));
    }

    @Test
    void anArrayOfParametersIsKeptToo() throws Exception {
        etcFile(new String[] {"local=10.200.0.1:4789 remote=10.200.0.2:4789", "vni=42"});
        ifconfig.ifconfig("vx0", "up");
        assertArrayEquals(new String[] {"local=10.200.0.1:4789", "remote=10.200.0.2:4789", "vni=42"},
                (String[]) updates.get(0).get("parameters"));
    }
}
