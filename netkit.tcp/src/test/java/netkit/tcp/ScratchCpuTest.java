package netkit.tcp;

import java.time.Duration;
import java.util.Random;
import netkit.api.spi.impair.Impairment;
import org.junit.jupiter.api.Test;

class ScratchCpuTest {
    @Test
    void cpu() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] p = h.pair(5000);
        h.net.hub.segment("lan").impairment(new Impairment(0.01, 0, 0.01, 0, 100, 50, 0, 50));
        byte[] data = new byte[50 << 20];
        new Random(50).nextBytes(data);
        long t0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long s0 = h.net.loop.nanoTime();
        TcpHarness.Flow f = h.new Flow(h.a, p[0], h.b, p[1], data);
        h.pump(Duration.ofHours(1), f);
        long t1 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        System.out.println("CPU ms " + (t1 - t0) / 1_000_000 + " sim s " + (h.net.loop.nanoTime() - s0) / 1e9);
    }
}
