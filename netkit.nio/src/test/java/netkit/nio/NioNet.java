package netkit.nio;

import java.time.Duration;
import netkit.api.SockAddr;
import netkit.stack.Stack;
import netkit.stack.testing.TestNet;
import netkit.tcp.TcpProtocol;
import netkit.udp.UdpProtocol;

/** Two stacks with TCP and UDP on the simulated wire, and a NIO provider on each. */
final class NioNet {
    final TestNet net = new TestNet(2);
    final NetkitSelectorProvider client;
    final NetkitSelectorProvider server;

    NioNet() {
        for (Stack s : net.stacks) {
            s.addProtocol(new TcpProtocol());
            s.addProtocol(new UdpProtocol());
        }
        client = new NetkitSelectorProvider(net.stack(0).sockets("client"), net.loop);
        server = new NetkitSelectorProvider(net.stack(1).sockets("server"), net.loop);
    }

    /** 10.0.0.(i+1):port as Java sees it. */
    static java.net.InetSocketAddress address(int i, int port) {
        return SockAddr.of(TestNet.address(i), port).toInetSocketAddress();
    }

    void run(Duration d) {
        net.loop.advance(d);
    }
}
