package netkit.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import netkit.api.SockAddr;
import netkit.api.testing.ScrConfigs;
import netkit.dns.osgi.DnsComponent;
import org.junit.jupiter.api.Test;

/** PID netkit.dns: good values apply, a bad one keeps its previous value (and is logged in one WARNING line). */
class DnsConfigTest {
    private static ResolverSettings apply(ResolverSettings previous, Map<String, Object> props) {
        return netkit.dns.osgi.DnsComponentAccess.settings(previous, ScrConfigs.of(DnsComponent.Config.class, props), props);
    }

    @Test
    void everyPropertyApplies() {
        ResolverSettings s = apply(ResolverSettings.defaults(), Map.of("nameservers", new String[] {"10.0.0.53",
            "10.0.0.54"}, "search", new String[] {"lan.example."}, "ndots", "2", "timeoutMillis", "1500", "attempts",
            "3", "rotate", "true", "hostname", "box", "hosts", new String[] {"192.0.2.1 nas nas.lan"}, "services",
            new String[] {"sink 9000/tcp"}, "cacheEntries", "64"));
        assertEquals(List.of(SockAddr.parseAddress("10.0.0.53"), SockAddr.parseAddress("10.0.0.54")), s.nameServers());
        assertEquals(List.of("lan.example"), s.search());
        assertEquals(2, s.ndots());
        assertEquals(1500, s.timeoutMillis());
        assertEquals(3, s.attempts());
        assertTrue(s.rotate());
        assertEquals("box", s.hostname());
        assertEquals("nas", s.hosts().get(0).name());
        assertEquals(9000, s.services().get(0).port());
        assertEquals(64, s.cacheEntries());
    }

    @Test
    void aCfgFileSeparatesSeveralValuesWithCommas() {
        ResolverSettings s = apply(ResolverSettings.defaults(), Map.of("nameservers", "10.0.0.53, 10.0.0.54",
                "search", "a.example b.example", "hosts", "192.0.2.1 nas nas.lan, 192.0.2.2 printer", "services",
                "sink 9000/tcp,source 9001/tcp"));
        assertEquals(2, s.nameServers().size());
        assertEquals(List.of("a.example", "b.example"), s.search());
        assertEquals(List.of("nas", "printer"), s.hosts().stream().map(HostsTable.Entry::name).toList());
        assertEquals(List.of("nas.lan"), s.hosts().get(0).aliases());
        assertEquals(2, s.services().size());
    }

    @Test
    void aBadValueKeepsThePreviousOneAndTheOthersApply() {
        Map<String, Object> good = Map.of("nameservers", new String[] {"10.0.0.53"}, "search",
                new String[] {"lan.example"}, "ndots", "2", "timeoutMillis", "1500", "attempts", "3", "hostname", "box",
                "hosts", new String[] {"192.0.2.1 nas"}, "services", new String[] {"sink 9000/tcp"},
                "cacheEntries", "64");
        ResolverSettings before = apply(ResolverSettings.defaults(), good);
        for (Map<String, Object> bad : List.<Map<String, Object>>of(
                Map.of("nameservers", new String[] {"10.0.0.300"}), Map.of("ndots", "banana"),
                Map.of("ndots", "16"), Map.of("timeoutMillis", "0"), Map.of("attempts", "9"),
                Map.of("search", new String[] {"bad@domain"}), Map.of("hostname", "-x"),
                Map.of("hosts", new String[] {"192.0.2.1"}), Map.of("services", new String[] {"x 70000/tcp"}),
                Map.of("services", new String[] {"x 7/sctp"}), Map.of("cacheEntries", "0"))) {
            Map<String, Object> props = new java.util.HashMap<>(good);
            props.putAll(bad);
            props.put("rotate", "true");
            ResolverSettings after = apply(before, props);
            assertEquals(before.toBuilder().rotate(true).build(), after, bad + " is refused, rotate applies");
        }
    }
}
