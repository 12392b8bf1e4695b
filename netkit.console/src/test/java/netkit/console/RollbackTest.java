package netkit.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * A change whose link does not open is undone: the previous configuration is written back (or the
 * new interface deleted), the console gets one error, and never "configured".
 */
class RollbackTest {
    private static final LinkCounters NONE = new LinkCounters(0, 0, 0, 0, 0, 0, 0, 0, LinkCounters.NO_HOST_BUFFER);
    private final List<Dictionary<String, Object>> updates = new ArrayList<>();
    private Dictionary<String, Object> stored;
    private boolean deleted;
    private final InterfaceCommands ifconfig = new InterfaceCommands(admin(), configurationAdmin());

    RollbackTest() {
        ifconfig.addDriver(proxy(LinkDriver.class, (p, m, a) -> switch (m.getName()) {
            case "name" -> "vxlan";
            case "parameterKeys" -> Set.of("local", "remote", "vni");
            default -> null;
        }));
    }

    private static <T> T proxy(Class<T> type, java.lang.reflect.InvocationHandler h) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h));
    }

    /** vx0 as the stored configuration makes it: a link on port 1 does not open (the port is taken). */
    private NetworkAdmin admin() {
        return proxy(NetworkAdmin.class, (p, m, a) -> {
            if (!m.getName().equals("interfaces")) {
                return null;
            }
            if (stored == null || deleted) {
                return List.of();
            }
            boolean fails = List.of((String[]) stored.get("parameters")).contains("local=127.0.0.1:1");
            return List.of(new InterfaceStatus("vx0", "vxlan", !fails, InterfaceStatus.LinkKind.ETHERNET,
                    fails ? "cannot bind 127.0.0.1:1" : null, 0x020000000001L, 0xc0a84d01, 24, 1450, true, !fails,
                    NONE, 1 + updates.size()));
        });
    }

    @SuppressWarnings("unchecked")
    private ConfigurationAdmin configurationAdmin() {
        Configuration c = proxy(Configuration.class, (p, m, a) -> switch (m.getName()) {
            case "getProperties" -> stored == null || deleted ? null : new Hashtable<>((Hashtable<String, Object>) stored);
            case "update" -> {
                stored = new Hashtable<>((Hashtable<String, Object>) a[0]);
                deleted = false;
                updates.add(stored);
                yield null;
            }
            case "delete" -> {
                deleted = true;
                yield null;
            }
            default -> null;
        });
        return proxy(ConfigurationAdmin.class, (p, m, a) -> m.getName().equals("getFactoryConfiguration") ? c : null);
    }

    @Test
    void aChangeWhoseLinkFailsIsRolledBack() throws Exception {
        ifconfig.ifconfig("vx0", "driver", "vxlan", "param", "local=127.0.0.1:2", "up");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ifconfig.ifconfig("vx0", "param", "local=127.0.0.1:1"));
        assertTrue(e.getMessage().contains("cannot bind 127.0.0.1:1")
                && e.getMessage().contains("previous configuration of vx0 restored"), e.getMessage());
        assertTrue(!e.getMessage().contains("configured"), e.getMessage());
        assertArrayEquals(new String[] {"local=127.0.0.1:2"}, (String[]) stored.get("parameters"));
        assertEquals(3, updates.size(), "the change, then the previous configuration again");
    }

    @Test
    void aNewInterfaceWhoseLinkFailsIsNotCreated() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ifconfig.ifconfig("vx0", "driver", "vxlan", "param", "local=127.0.0.1:1", "up"));
        assertTrue(e.getMessage().contains("vx0 not created"), e.getMessage());
        assertTrue(deleted, "the new configuration deleted");
    }
}
