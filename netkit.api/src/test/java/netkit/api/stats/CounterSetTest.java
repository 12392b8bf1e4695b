package netkit.api.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CounterSetTest {
    @Test
    void countsEachCounterOnItsOwn() {
        CounterSet<UdpCounter> udp = new CounterSet<>(UdpCounter.class);
        udp.inc(UdpCounter.NO_PORTS);
        udp.inc(UdpCounter.NO_PORTS);
        udp.add(UdpCounter.OUT_DATAGRAMS, 5);
        assertEquals(2, udp.get(UdpCounter.NO_PORTS));
        assertEquals(5, udp.get(UdpCounter.OUT_DATAGRAMS));
        assertEquals(0, udp.get(UdpCounter.IN_DATAGRAMS));
    }

    @Test
    void snapshotDoesNotMoveWithTheCounters() {
        CounterSet<IpCounter> ip = new CounterSet<>(IpCounter.class);
        ip.inc(IpCounter.IN_RECEIVES);
        CounterSnapshot<IpCounter> before = ip.snapshot();
        ip.inc(IpCounter.IN_RECEIVES);
        assertEquals(1, before.get(IpCounter.IN_RECEIVES));
        assertEquals(2, ip.snapshot().get(IpCounter.IN_RECEIVES));
        assertEquals(IpCounter.class, before.type());
    }

    @Test
    void byNameListsEveryCounterInEnumOrderUnderItsDisplayName() {
        CounterSet<TcpCounter> tcp = new CounterSet<>(TcpCounter.class);
        tcp.add(TcpCounter.PAWS_REJECTED, 3);
        Map<String, Long> m = tcp.snapshot().byName();
        List<String> names = new ArrayList<>(m.keySet());
        assertEquals(TcpCounter.values().length, names.size());
        assertEquals("ActiveOpens", names.get(0));
        assertEquals("MemoryBytes", names.get(names.size() - 1));
        assertEquals(3L, m.get("PAWSRejected"));
        assertEquals(0L, m.get("CurrEstab"));
        assertThrows(UnsupportedOperationException.class, () -> m.put("InSegs", 1L));
    }

    @Test
    void withSetsAGaugeAndPlusAddsCounterByCounter() {
        CounterSet<IcmpCounter> a = new CounterSet<>(IcmpCounter.class);
        a.add(IcmpCounter.IN_MSGS, 2);
        CounterSnapshot<IcmpCounter> b = CounterSnapshot.empty(IcmpCounter.class)
                .with(IcmpCounter.IN_MSGS, 3).with(IcmpCounter.OUT_TIME_EXCDS, 4);
        CounterSnapshot<IcmpCounter> sum = a.snapshot().plus(b);
        assertEquals(5, sum.get(IcmpCounter.IN_MSGS));
        assertEquals(4, sum.get(IcmpCounter.OUT_TIME_EXCDS));
        assertEquals(0, b.with(IcmpCounter.IN_MSGS, 0).get(IcmpCounter.IN_MSGS));
        assertEquals(3, b.get(IcmpCounter.IN_MSGS), "with leaves the original alone");
    }

    @Test
    void concurrentIncrementsAreNotLost() throws InterruptedException {
        CounterSet<ArpCounter> arp = new CounterSet<>(ArpCounter.class);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    arp.inc(ArpCounter.IN_REQUESTS);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(40_000, arp.get(ArpCounter.IN_REQUESTS));
    }

    @Test
    void statisticsAddEachProtocolToItsOwnSnapshot() {
        CounterSet<IcmpCounter> ipLayerIcmp = new CounterSet<>(IcmpCounter.class);
        ipLayerIcmp.inc(IcmpCounter.OUT_DEST_UNREACHS);
        CounterSet<IcmpCounter> icmp = new CounterSet<>(IcmpCounter.class);
        icmp.inc(IcmpCounter.IN_ECHOS);
        CounterSet<UdpCounter> udp = new CounterSet<>(UdpCounter.class);
        udp.inc(UdpCounter.NO_PORTS);
        StackStatistics s = StackStatistics.of(new CounterSet<>(IpCounter.class).snapshot(),
                new CounterSet<>(ArpCounter.class).snapshot(), ipLayerIcmp.snapshot())
                .plus(icmp.snapshot()).plus(udp.snapshot());
        assertEquals(1, s.icmp().get(IcmpCounter.OUT_DEST_UNREACHS));
        assertEquals(1, s.icmp().get(IcmpCounter.IN_ECHOS));
        assertEquals(1, s.udp().get(UdpCounter.NO_PORTS));
        assertEquals(0, s.tcp().get(TcpCounter.IN_SEGS), "an absent protocol shows zeros");
    }
}
