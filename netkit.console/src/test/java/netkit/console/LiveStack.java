package netkit.console;

import netkit.api.Net;
import netkit.api.SocketManager;
import netkit.icmp.IcmpProtocol;
import netkit.link.loopback.LoopbackDriver;
import netkit.stack.Stack;
import netkit.stack.StackSettings;
import netkit.stack.iface.InterfaceConfig;
import netkit.tcp.TcpProtocol;

/** A stack on its own real-time loop with lo0 127.0.0.1/8, TCP and ICMP: what the console runs on. */
public final class LiveStack implements AutoCloseable {
    public final Stack stack = new Stack("console-test", null, StackSettings.defaults(), 7);
    public final SocketManager sockets;

    public LiveStack() {
        stack.addDriver(new LoopbackDriver());
        stack.configure(InterfaceConfig.of("lo0", "loopback", Net.INADDR_LOOPBACK, 8));
        stack.addProtocol(new TcpProtocol());
        stack.addProtocol(new IcmpProtocol());
        sockets = stack.sockets("console");
    }

    /** Open tokens of every owner (not the orphans netstat lists after them, token -1). */
    public int openSockets() {
        return (int) stack.admin().sockets().stream().filter(s -> s.token() >= 0).count();
    }

    @Override
    public void close() {
        stack.close();
    }
}
