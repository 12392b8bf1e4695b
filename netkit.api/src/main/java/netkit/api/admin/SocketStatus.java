package netkit.api.admin;

import java.util.Map;
import netkit.api.SockAddr;

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
 * @param details  protocol internals for {@code netstat -i} (cwnd, srtt, ...), in display order
 */
public record SocketStatus(int token, String owner, String protocol, SockAddr local, SockAddr remote, String state,
        int recvQ, int sendQ, Map<String, String> details) {
}
