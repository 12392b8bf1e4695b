package netkit.tcp.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import netkit.api.testing.ScrConfigs;
import netkit.tcp.TcpSettings;
import org.junit.jupiter.api.Test;

/** A bad value in PID {@code netkit.tcp} is logged and skipped; the component keeps working. */
class TcpComponentTest {
    private static TcpComponent.Config config(Map<String, Object> props) {
        return ScrConfigs.of(TcpComponent.Config.class, props);
    }

    static void configure(TcpComponent c, Map<String, Object> props) {
        c.configure(config(props), props);
    }

    @Test
    void badValuesKeepThePreviousOnesAndTheGoodOnesApply() {
        TcpComponent c = new TcpComponent();
        configure(c, Map.of("mslMillis", "1000"));
        assertEquals(1000, c.settings().mslMillis());
        configure(c, Map.of("mslMillis", "banana", "synRetries", "7"));
        assertEquals(1000, c.settings().mslMillis(), "unparseable: previous value kept");
        assertEquals(7, c.settings().synRetries(), "the good value applies");
        configure(c, Map.of("mslMillis", "1000", "rtoMinMillis", "0", "congestionControl", "vegas",
                "memoryLimitMiB", "-1", "delayedAckMillis", "40"));
        assertEquals(TcpSettings.defaults().rtoMinMillis(), c.settings().rtoMinMillis());
        assertEquals("cubic", c.settings().congestionControl());
        assertEquals(TcpSettings.defaults().memoryLimit(), c.settings().memoryLimit());
    }

    @Test
    void relatedValuesMayChangeTogether() {
        TcpComponent c = new TcpComponent();
        configure(c, Map.of("rtoMinMillis", "200000", "rtoMaxMillis", "300000"));
        assertEquals(200000, c.settings().rtoMinMillis());
        assertEquals(300000, c.settings().rtoMaxMillis());
    }
}
