package netkit.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import netkit.api.SockAddr;
import netkit.api.wire.Bytes;
import org.junit.jupiter.api.Test;

/** ping -R's "RR:" lines as iputils prints them (issue 11). */
class PingRouteTest {
    private static byte[] recordRoute(String... hops) {
        byte[] o = new byte[40];
        o[0] = 7;
        o[1] = 39;
        o[2] = (byte) (4 + 4 * hops.length);
        for (int i = 0; i < hops.length; i++) {
            Bytes.put32(o, 3 + 4 * i, SockAddr.parseAddress(hops[i]));
        }
        return o;
    }

    @Test
    void recordedHopsThenSameRoute() {
        PingRoute r = new PingRoute();
        byte[] o = recordRoute("192.168.77.1", "192.168.77.2", "192.168.77.2", "192.168.77.1");
        assertEquals("\nRR: \t192.168.77.1\n\t192.168.77.2\n\t192.168.77.2\n\t192.168.77.1\n", r.describe(o));
        assertEquals("\t(same route)", r.describe(o.clone()));
        assertEquals("", r.describe(new byte[0]), "no option, nothing to print");
        assertEquals("\nRR: \t10.0.0.1\n", r.describe(recordRoute("10.0.0.1")));
    }
}
