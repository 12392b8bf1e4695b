package netkit.stack.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.lang.reflect.Proxy;
import java.util.Map;
import netkit.stack.StackSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A bad value in PID {@code netkit.stack} is logged and skipped; the stack starts and keeps running. */
class StackComponentTest {
    private final StackComponent component = new StackComponent();

    /**
     * A {@link StackComponent.Config} over {@code props} as Felix SCR gives it: absent keys take the
     * default, and a value that cannot be coerced throws when its method is called.
     */
    static StackComponent.Config config(Map<String, Object> props) {
        return (StackComponent.Config) Proxy.newProxyInstance(StackComponent.Config.class.getClassLoader(),
                new Class<?>[] {StackComponent.Config.class}, (p, m, args) -> {
                    Object v = props.get(m.getName());
                    if (v == null) {
                        return m.getDefaultValue();
                    }
                    Class<?> t = m.getReturnType();
                    try {
                        if (t == int.class) {
                            return Integer.parseInt(v.toString());
                        }
                        if (t == boolean.class) {
                            return Boolean.parseBoolean(v.toString());
                        }
                    } catch (NumberFormatException e) {
                        throw new IllegalStateException("Could not coerce " + v + " to " + t); // as ComponentException
                    }
                    return v.toString();
                });
    }

    @AfterEach
    void close() {
        component.deactivate();
    }

    @Test
    void aBadValueDoesNotStopTheStackFromStarting() {
        Map<String, Object> props = Map.of("maxSockets", "banana", "icmpErrorsPerSecond", "7");
        component.activate(config(props), props);
        assertNotNull(component.stack());
        assertEquals(StackSettings.defaults().maxSockets(), component.stack().settings().maxSockets());
        assertEquals(7, component.stack().settings().icmpErrorsPerSecond());
        assertNotNull(component.stack().admin().interfaces().stream().filter(s -> s.name().equals("lo0"))
                .findFirst().orElse(null), "lo0 configured");
    }

    @Test
    void badValuesInAChangeKeepThePreviousOnes() {
        Map<String, Object> first = Map.of("maxSockets", "100", "reassemblyMaxKiB", "128");
        component.activate(config(first), first);
        Map<String, Object> bad = Map.of("maxSockets", "-5", "reassemblyMaxKiB", "banana", "reassemblyTimeoutSeconds",
                "0", "arpReachableSeconds", "0", "icmpErrorsPerSecond", "9");
        component.modified(config(bad), bad);
        StackSettings s = component.stack().settings();
        assertEquals(100, s.maxSockets());
        assertEquals(128 * 1024, s.reassemblyMaxBytes());
        assertEquals(StackSettings.defaults().reassemblyTimeoutMillis(), s.reassemblyTimeoutMillis());
        assertEquals(StackSettings.defaults().arp().reachableMillis(), s.arp().reachableMillis());
        assertEquals(9, s.icmpErrorsPerSecond());
    }
}
