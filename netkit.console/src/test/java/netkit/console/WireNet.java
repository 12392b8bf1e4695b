package netkit.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import netkit.api.SockAddr;
import netkit.api.time.RealTimeLoop;
import netkit.icmp.IcmpProtocol;
import netkit.link.wire.WireDriver;
import netkit.link.wire.WireHub;
import netkit.stack.Stack;
import netkit.stack.StackSettings;
import netkit.stack.iface.InterfaceConfig;
import netkit.tcp.TcpProtocol;
import netkit.udp.UdpProtocol;

/**
 * Stacks on one in-JVM wire segment in real time: host {@code i} is {@code 10.0.0.(i+1)/24} on
 * {@code eth0} with TCP, UDP and (unless left out) ICMP: what console commands between hosts run on.
 */
final class WireNet implements AutoCloseable {
    final RealTimeLoop loop = new RealTimeLoop("wirenet");
    final WireHub hub = new WireHub(loop);
    final List<Stack> stacks = new ArrayList<>();

    /** {@code hosts} stacks; those listed in {@code withoutIcmp} get no ICMP protocol (no echo replies). */
    WireNet(int hosts, Integer... withoutIcmp) {
        this(hosts, i -> StackSettings.defaults(), withoutIcmp);
    }

    /** The same with each host's settings. */
    WireNet(int hosts, IntFunction<StackSettings> settings, Integer... withoutIcmp) {
        WireDriver wire = new WireDriver(hub);
        for (int i = 0; i < hosts; i++) {
            Stack s = new Stack("h" + i, loop, settings.apply(i), 900 + i);
            s.addDriver(wire);
            s.configure(new InterfaceConfig("eth0", "wire", address(i), 24, 1500, 0, 0x020000000300L + i, true,
                    Map.of("segment", "lan")));
            s.addProtocol(new TcpProtocol());
            s.addProtocol(new UdpProtocol());
            if (!List.of(withoutIcmp).contains(i)) {
                s.addProtocol(new IcmpProtocol());
            }
            stacks.add(s);
        }
    }

    static int address(int host) {
        return SockAddr.parseAddress("10.0.0." + (host + 1));
    }

    static String quad(int host) {
        return "10.0.0." + (host + 1);
    }

    Stack stack(int host) {
        return stacks.get(host);
    }

    @Override
    public void close() {
        stacks.forEach(Stack::close);
        loop.close();
    }
}
