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
    void hardeningTunablesApplyAndBadOnesKeepThePreviousValue() {
        TcpComponent c = new TcpComponent();
        configure(c, Map.of("challengeAcksPerSecond", "10", "invalidRatelimitMillis", "250", "maxOrphans", "100",
                "orphanRetries", "3", "isnKeyRotationMinutes", "5"));
        assertEquals(10, c.settings().challengeAcksPerSecond());
        assertEquals(250, c.settings().invalidRatelimitMillis());
        assertEquals(100, c.settings().maxOrphans());
        assertEquals(3, c.settings().orphanRetries());
        assertEquals(5, c.settings().isnKeyRotationMinutes());
        java.util.List<String> warnings = new java.util.ArrayList<>();
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger(TcpComponent.class.getName());
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel() == java.util.logging.Level.WARNING) {
                    warnings.add(r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(handler);
        try {
            configure(c, Map.of("challengeAcksPerSecond", "-1", "invalidRatelimitMillis", "soon", "maxOrphans", "-5",
                    "orphanRetries", "-1", "isnKeyRotationMinutes", "hourly"));
        } finally {
            jul.removeHandler(handler);
        }
        assertEquals(5, warnings.size(), "one WARNING line per refused property: " + warnings);
        for (String w : warnings) {
            org.junit.jupiter.api.Assertions.assertTrue(w.contains("netkit.tcp") && !w.contains("\n"), w);
        }
        assertEquals(10, c.settings().challengeAcksPerSecond(), "refused: previous value kept");
        assertEquals(250, c.settings().invalidRatelimitMillis());
        assertEquals(100, c.settings().maxOrphans());
        assertEquals(3, c.settings().orphanRetries());
        assertEquals(5, c.settings().isnKeyRotationMinutes());
        configure(c, Map.of("isnKeyRotationMinutes", "2000000"));
        assertEquals(5, c.settings().isnKeyRotationMinutes(), "above two years: refused");
    }

    @Test
    void maxTimeWaitAppliesAndANegativeOneIsRefused() {
        TcpComponent c = new TcpComponent();
        assertEquals(262_144, c.settings().maxTimeWait(), "Linux tcp_max_tw_buckets' usual value");
        configure(c, Map.of("maxTimeWait", "1000"));
        assertEquals(1000, c.settings().maxTimeWait());
        configure(c, Map.of("maxTimeWait", "-1"));
        assertEquals(1000, c.settings().maxTimeWait(), "refused: previous value kept");
        configure(c, Map.of("maxTimeWait", "0"));
        assertEquals(0, c.settings().maxTimeWait(), "0: no TIME_WAIT kept at all");
    }

    /**
     * A buffer ceiling in KiB: 4 MiB by default (Linux tcp_rmem[2] and tcp_wmem[2] in data terms),
     * a value in 1..65536 applies, anything else keeps the previous value.
     */
    private static void kibCeiling(String key, java.util.function.ToIntFunction<TcpSettings> bytes) {
        TcpComponent c = new TcpComponent();
        assertEquals(4 << 20, bytes.applyAsInt(c.settings()));
        configure(c, Map.of(key, "1024"));
        assertEquals(1 << 20, bytes.applyAsInt(c.settings()));
        for (String bad : new String[] {"0", "-5", "65537", "many"}) {
            configure(c, Map.of(key, bad));
            assertEquals(1 << 20, bytes.applyAsInt(c.settings()), key + "=" + bad + " refused: previous value kept");
        }
    }

    @Test
    void maxReceiveBufferKiBAppliesWithinItsRange() {
        kibCeiling("maxReceiveBufferKiB", TcpSettings::maxReceiveBuffer);
    }

    @Test
    void maxSendBufferKiBAppliesWithinItsRange() {
        kibCeiling("maxSendBufferKiB", TcpSettings::maxSendBuffer);
    }

    @Test
    void relatedValuesMayChangeTogether() {
        TcpComponent c = new TcpComponent();
        configure(c, Map.of("rtoMinMillis", "200000", "rtoMaxMillis", "300000"));
        assertEquals(200000, c.settings().rtoMinMillis());
        assertEquals(300000, c.settings().rtoMaxMillis());
    }
}
