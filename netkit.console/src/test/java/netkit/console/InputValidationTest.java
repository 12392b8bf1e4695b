package netkit.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Set;
import netkit.api.SocketManager;
import netkit.api.admin.InterfaceStatus;
import netkit.api.admin.LinkCounters;
import netkit.api.admin.NetworkAdmin;
import netkit.api.spi.link.LinkDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** Console input is checked before anything changes: a bad value is one clear message and no update. */
class InputValidationTest {
    private final List<Dictionary<String, Object>> updates = new ArrayList<>();
    private final InterfaceCommands ifconfig = new InterfaceCommands(admin(), configurationAdmin());
    private final LinkCommands link = new LinkCommands(ifconfig, admin());

    InputValidationTest() {
        ifconfig.addDriver(driver("loopback"));
        ifconfig.addDriver(driver("wire"));
    }

    private static <T> T proxy(Class<T> type, java.lang.reflect.InvocationHandler h) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h));
    }

    private static NetworkAdmin admin() {
        LinkCounters none = new LinkCounters(0, 0, 0, 0, 0, 0, 0, 0, LinkCounters.NO_HOST_BUFFER);
        List<InterfaceStatus> ifaces = List.of(
                new InterfaceStatus("lo0", "loopback", true, InterfaceStatus.LinkKind.LOOPBACK, null, 0, 0x7f000001, 8,
                        65536, true, true, none, 1),
                new InterfaceStatus("eth0", "wire", true, InterfaceStatus.LinkKind.ETHERNET, null, 0x020000000001L,
                        0x0a000001, 24, 1500, true, true, none, 1));
        return proxy(NetworkAdmin.class, (p, m, a) -> m.getName().equals("interfaces") ? ifaces : null);
    }

    private static LinkDriver driver(String name) {
        return proxy(LinkDriver.class, (p, m, a) -> switch (m.getName()) {
            case "name" -> name;
            case "parameterKeys" -> Set.of("segment");
            default -> null;
        });
    }

    /** A Config Admin whose configurations record their updates. */
    @SuppressWarnings("unchecked")
    private ConfigurationAdmin configurationAdmin() {
        Configuration c = proxy(Configuration.class, (p, m, a) -> {
            if (m.getName().equals("update") && a != null && a.length == 1) {
                updates.add((Dictionary<String, Object>) a[0]);
            }
            return null;
        });
        return proxy(ConfigurationAdmin.class, (p, m, a) -> m.getName().equals("getFactoryConfiguration") ? c : null);
    }

    private void refused(String expected, Executable command) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, command);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e instanceof NumberFormatException, "a clear message, not " + e);
        assertEquals(List.of(), updates, "nothing changed");
    }

    @Test
    void badInterfaceSettingsAreRefusedBeforeAnyUpdate() {
        refused("prefix", () -> ifconfig.ifconfig("eth0", "10.0.0.1/33"));
        refused("mtu", () -> ifconfig.ifconfig("lo0", "mtu", "-5"));
        refused("mtu", () -> ifconfig.ifconfig("lo0", "mtu", "banana"));
        refused("zz:00:00:00:00:01", () -> ifconfig.ifconfig("eth0", "mac", "zz:00:00:00:00:01"));
        refused("gw", () -> ifconfig.ifconfig("eth0", "gw", "10.0.0.300"));
        refused("loss=banana", () -> ifconfig.ifconfig("eth0", "param", "loss=banana"));
        refused("loss=2", () -> ifconfig.ifconfig("eth0", "param", "loss=2"));
        refused("takes its address by DHCP", () -> ifconfig.ifconfig("eth0", "dhcp", "10.0.0.1/24"));
        refused("prefix", () -> ifconfig.ifconfig("eth0", "static", "10.0.0.1/33"));
        refused("static needs a value", () -> ifconfig.ifconfig("eth0", "static"));
    }

    @Test
    void swappingToAnAbsentDriverLeavesTheInterfaceAlone() {
        refused("nosuchdriver", () -> link.link("swap", "lo0", "nosuchdriver"));
        refused("nosuchdriver", () -> ifconfig.ifconfig("lo0", "driver", "nosuchdriver"));
    }

    @Test
    void anUnknownDriverOrAnMtuOutOfRangeIsRefusedForANewInterfaceToo() {
        refused("no link driver nosuch", () -> ifconfig.ifconfig("new0", "driver", "nosuch"));
        refused("no link driver nosuch", () -> link.link("add", "new0", "nosuch"));
        refused("mtu must be 68..65535", () -> ifconfig.ifconfig("lo0", "mtu", "99999999"));
        refused("mtu 'abc' is not a number", () -> ifconfig.ifconfig("new0", "mtu", "abc"));
    }

    @Test
    void sendChecksItsArgumentsBeforeOpeningASocket() {
        SendCommand send = new SendCommand(noSocketsAllowed());
        refused("--bytes", () -> send.send(-5, "", "tcp", "10.0.0.2", 9));
        refused("port", () -> send.send(5, "", "tcp", "10.0.0.2", 70000));
        refused("10.0.0.256", () -> send.send(5, "", "tcp", "10.0.0.256", 9));
    }

    private static SocketManager noSocketsAllowed() {
        return proxy(SocketManager.class, (p, m, a) -> {
            throw new AssertionError("opened a socket: " + m.getName());
        });
    }

    @Test
    void sendRefusesAFileItCannotReadBeforeOpeningASocket(@TempDir Path dir) {
        SendCommand send = new SendCommand(noSocketsAllowed());
        Path missing = dir.resolve("missing.bin");
        refused("no such file", () -> send.send(0, missing.toString(), "tcp", "10.0.0.2", 9));
        refused("is a directory", () -> send.send(0, dir.toString(), "tcp", "10.0.0.2", 9));
    }

    @Test
    void pingChecksEveryOptionBeforeOpeningASocket() {
        PingCommand ping = new PingCommand(noSocketsAllowed());
        refused("-t must be 1..255, got '0'", () -> ping.ping("-t", "0", "10.0.0.2"));
        refused("-t must be 1..255, got '256'", () -> ping.ping("-t", "256", "10.0.0.2"));
        refused("-t must be 1..255, got 'banana'", () -> ping.ping("-t", "banana", "10.0.0.2"));
        refused("-c must be 1..", () -> ping.ping("-c", "0", "10.0.0.2"));
        refused("-c must be 1..", () -> ping.ping("-c", "-3", "10.0.0.2"));
        refused("-s must be 0..65507", () -> ping.ping("-c", "1", "-s", "-1", "10.0.0.2"));
        refused("-s must be 0..65507", () -> ping.ping("-c", "1", "-s", "65508", "10.0.0.2"));
        refused("-i must be 0.01..", () -> ping.ping("-c", "1", "-i", "0", "10.0.0.2"));
        refused("-i must be 0.01..", () -> ping.ping("-c", "1", "-i", "0.001", "10.0.0.2"));
        refused("-i must be 0.01..", () -> ping.ping("-c", "1", "-i", "NaN", "10.0.0.2"));
        refused("-i must be 0.01..", () -> ping.ping("-c", "1", "-i", "1e300", "10.0.0.2"));
        refused("-W must be 0.0..", () -> ping.ping("-c", "1", "-W", "-1", "10.0.0.2"));
        refused("-W must be 0.0..", () -> ping.ping("-c", "1", "-W", "Infinity", "10.0.0.2"));
        refused("10.0.0.256", () -> ping.ping("-c", "1", "10.0.0.256"));
    }
}
