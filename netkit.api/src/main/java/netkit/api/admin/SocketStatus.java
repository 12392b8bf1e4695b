package netkit.api.admin;

import java.util.Map;
import netkit.api.SockAddr;
import netkit.api.TcpInfo;

/**
 * What {@code netstat} shows of one socket.
 *
 * @param token    socket token, or -1 for a connection no socket holds any more (an orphan: closed by
 *                 the application, still finishing)
 * @param owner    owning bundle's symbolic name (or the plain-Java owner's name); {@code orphan} for an
 *                 orphan
 * @param protocol {@code tcp}, {@code udp}, {@code icmp}
 * @param local    bound address ({@link SockAddr#ANY} when unbound)
 * @param remote   peer ({@link SockAddr#ANY} when none)
 * @param state    protocol state ({@code ESTABLISHED}, {@code LISTEN}, ... or {@code -})
 * @param recvQ    bytes waiting to be read
 * @param sendQ    bytes not yet acknowledged or sent
 * @param details  protocol internals for {@code netstat -e}, in display order (other protocols';
 *                 TCP's are in {@code tcpInfo})
 * @param tcpInfo  a TCP connection's statistics, the same record {@link netkit.api.SocketManager#tcpInfo}
 *                 gives its owner; null for other protocols and for TCP sockets without a
 *                 connection (listeners, sockets never connected)
 */
public record SocketStatus(int token, String owner, String protocol, SockAddr local, SockAddr remote, String state,
        int recvQ, int sendQ, Map<String, String> details, TcpInfo tcpInfo) {

    /** A socket that is not a TCP connection: no {@link #tcpInfo()}. */
    public SocketStatus(int token, String owner, String protocol, SockAddr local, SockAddr remote, String state,
            int recvQ, int sendQ, Map<String, String> details) {
        this(token, owner, protocol, local, remote, state, recvQ, sendQ, details, null);
    }
}
