package netkit.bench;

import java.util.List;
import java.util.Map;
import netkit.api.SockAddr;
import netkit.api.time.RealTimeLoop;
import netkit.icmp.IcmpProtocol;
import netkit.link.loopback.LoopbackDriver;
import netkit.link.pair.PairDriver;
import netkit.link.wire.WireDriver;
import netkit.link.wire.WireHub;
import netkit.stack.Stack;
import netkit.stack.StackSettings;
import netkit.stack.iface.InterfaceConfig;
import netkit.tcp.TcpProtocol;
import netkit.udp.UdpProtocol;

/**
 * Real-time netkit stacks for a figure: two stacks on a 1500-MTU {@code wire} segment (full
 * checksums), two on a {@code pair} link (64 KiB MTU, checksums offloaded), or one stack talking to
 * itself over {@code lo0}. Each stack runs on its own event-loop thread, as in the runtime.
 */
public final class NetkitNet implements AutoCloseable {
    /** Which link joins the two ends. */
    public enum Link {
        WIRE, PAIR, LO
    }

    private static final int A = SockAddr.parseAddress("10.9.0.1");
    private static final int B = SockAddr.parseAddress("10.9.0.2");
    private static final int LOOPBACK = SockAddr.parseAddress("127.0.0.1");

    private final RealTimeLoop wireLoop;
    private final Stack server;
    private final Stack client;

    /** Stacks joined by {@code link}, each allowing {@code maxSockets} sockets to one owner. */
    public NetkitNet(Link link, int maxSockets) {
        this(link, maxSockets, true);
    }

    /** As above, with the stacks' warm-up at start ({@link StackSettings#warmUp()}) on or off. */
    public NetkitNet(Link link, int maxSockets, boolean warmUp) {
        StackSettings settings = StackSettings.builder().warmUp(warmUp).maxSockets(Math.max(maxSockets, 64))
                .socketsPerOwner(Math.max(maxSockets, 64)).bufferBytesPerOwner(1L << 40).somaxconn(65535).build();
        LoopbackDriver loopback = new LoopbackDriver();
        wireLoop = link == Link.WIRE ? new RealTimeLoop("bench-wire") : null;
        WireDriver wire = wireLoop == null ? null : new WireDriver(new WireHub(wireLoop));
        PairDriver pair = new PairDriver();
        server = stack("server", settings, loopback);
        client = link == Link.LO ? server : stack("client", settings, loopback);
        if (link != Link.LO) {
            String driver = link == Link.WIRE ? "wire" : "pair";
            Map<String, String> params = link == Link.WIRE ? Map.of("segment", "bench") : Map.of("pair", "bench");
            for (Stack s : List.of(server, client)) {
                if (wire != null) {
                    s.addDriver(wire);
                } else {
                    s.addDriver(pair);
                }
            }
            server.configure(new InterfaceConfig("eth0", driver, A, 24, 0, 0, 0x020000000901L, true, params));
            client.configure(new InterfaceConfig("eth0", driver, B, 24, 0, 0, 0x020000000902L, true, params));
        }
        this.link = link;
    }

    private final Link link;

    private static Stack stack(String name, StackSettings settings, LoopbackDriver loopback) {
        Stack s = new Stack(name, null, settings, name.hashCode());
        s.addDriver(loopback);
        s.configure(InterfaceConfig.of("lo0", "loopback", LOOPBACK, 8));
        s.addProtocol(new TcpProtocol());
        s.addProtocol(new UdpProtocol());
        s.addProtocol(new IcmpProtocol());
        return s;
    }

    /** The server's sockets. */
    public Endpoints.Netkit serverHost() {
        int self = link == Link.LO ? LOOPBACK : A;
        int peer = link == Link.LO ? LOOPBACK : B;
        return new Endpoints.Netkit(server.sockets("bench-server"), self, peer);
    }

    /** The client's sockets. */
    public Endpoints.Netkit clientHost() {
        int self = link == Link.LO ? LOOPBACK : B;
        int peer = link == Link.LO ? LOOPBACK : A;
        return new Endpoints.Netkit(client.sockets("bench-client"), self, peer);
    }

    /** The server stack (the only one on {@code lo0}). */
    public Stack server() {
        return server;
    }

    @Override
    public void close() {
        client.close();
        if (server != client) {
            server.close();
        }
        if (wireLoop != null) {
            wireLoop.close();
        }
    }
}
