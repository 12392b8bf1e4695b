package netkit.nio;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import netkit.api.SockAddr;
import netkit.api.time.RealTimeLoop;
import netkit.link.wire.WireDriver;
import netkit.link.wire.WireHub;
import netkit.stack.Stack;
import netkit.stack.StackSettings;
import netkit.stack.iface.InterfaceConfig;
import netkit.stack.testing.TestNet;
import netkit.tcp.TcpProtocol;
import netkit.udp.UdpProtocol;

/**
 * Two stacks with TCP and UDP on an in-JVM wire in real time (one {@link RealTimeLoop}), for code
 * that runs its own threads (Netty, throughput figures): 10.0.0.1 and 10.0.0.2 on segment "lan".
 */
final class RealNet implements AutoCloseable {
    final RealTimeLoop loop = new RealTimeLoop("realnet");
    final WireHub hub = new WireHub(loop);
    final List<Stack> stacks = new ArrayList<>();

    RealNet() {
        WireDriver wire = new WireDriver(hub);
        for (int i = 0; i < 2; i++) {
            Stack s = new Stack("r" + i, loop, StackSettings.defaults(), 500 + i);
            s.addDriver(wire);
            s.configure(new InterfaceConfig("eth0", "wire", TestNet.address(i), 24, 1500, 0, 0x020000000200L + i, true,
                    Map.of("segment", "lan")));
            s.addProtocol(new TcpProtocol());
            s.addProtocol(new UdpProtocol());
            stacks.add(s);
        }
    }

    NetkitSelectorProvider provider(int i, String owner) {
        return new NetkitSelectorProvider(stacks.get(i).sockets(owner), loop);
    }

    static java.net.InetSocketAddress address(int i, int port) {
        return SockAddr.of(TestNet.address(i), port).toInetSocketAddress();
    }

    @Override
    public void close() {
        stacks.forEach(Stack::close);
        loop.close();
    }
}
