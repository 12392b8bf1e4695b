package netkit.soak;

import java.util.HashMap;
import java.util.Map;
import netkit.api.SocketManager;
import netkit.api.spi.link.LinkDriver;
import netkit.stack.Stack;
import netkit.tcp.TcpProtocol;
import netkit.tcp.TcpSettings;
import netkit.udp.UdpProtocol;

/** One stack of a scenario, its protocols (replaced on each restart) and its eth0 link. */
final class Node {
    final int index;
    final Stack stack;
    final SocketManager sockets;
    final TcpSettings tcpSettings;
    final Map<String, LinkDriver> drivers = new HashMap<>();
    TcpProtocol tcp;
    UdpProtocol udp;
    String driver = "wire";
    Map<String, String> linkParameters;

    Node(int index, Stack stack, TcpSettings tcpSettings) {
        this.index = index;
        this.stack = stack;
        this.tcpSettings = tcpSettings;
        this.sockets = stack.sockets("soak");
    }

    boolean up(boolean tcpProtocol) {
        return tcpProtocol ? tcp != null : udp != null;
    }

    @Override
    public String toString() {
        return "s" + index;
    }
}
