package netkit.udp;

import static netkit.api.Net.AF_INET;
import static netkit.api.Net.SOCK_DGRAM;
import static netkit.api.testing.ErrnoAssertions.errno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.RecvInfo;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.stack.Stack;
import netkit.stack.testing.TestNet;
import org.junit.jupiter.api.Test;

/**
 * SO_REUSEPORT on UDP (seed 004, Linux): sockets that all set it share a port, and datagrams are
 * spread over them by a keyed hash of the 4-tuple, so one flow always reaches the same member.
 */
class UdpReusePortTest {
    private static final int PORT = 5353;

    private static TestNet net() {
        TestNet net = new TestNet(2);
        for (Stack s : net.stacks) {
            s.addProtocol(new UdpProtocol());
        }
        return net;
    }

    private static int member(SocketManager b, int address) throws ErrnoException {
        int s = b.socket(AF_INET, SOCK_DGRAM, 0);
        b.setsockopt(s, Net.SOL_SOCKET, Net.SO_REUSEPORT, 1);
        b.bind(s, SockAddr.of(address, PORT));
        return s;
    }

    /** Which member each of {@code flows} source ports reached: -1 where none or several did. */
    private static int[] spread(TestNet net, SocketManager a, SocketManager b, int[] members, int flows)
            throws ErrnoException {
        int warm = a.socket(AF_INET, SOCK_DGRAM, 0); // resolve the neighbour first: ARP queues only 101 packets
        a.sendto(warm, new byte[1], 0, 1, 0, SockAddr.of(TestNet.address(1), 9));
        net.run(Duration.ofMillis(50));
        a.closesocket(warm);
        int[] senders = new int[flows];
        for (int f = 0; f < flows; f++) {
            senders[f] = a.socket(AF_INET, SOCK_DGRAM, 0);
            a.bind(senders[f], SockAddr.of(0, 20_000 + f));
            for (int k = 0; k < 3; k++) { // three datagrams per flow: all must go the same way
                a.sendto(senders[f], new byte[] {(byte) f}, 0, 1, 0, SockAddr.of(TestNet.address(1), PORT));
            }
        }
        net.run(Duration.ofMillis(50));
        int[] to = new int[flows];
        java.util.Arrays.fill(to, -1);
        int[] count = new int[flows];
        byte[] buf = new byte[8];
        RecvInfo info = new RecvInfo();
        for (int m = 0; m < members.length; m++) {
            while (true) {
                int n = b.recvfrom(members[m], buf, 0, 8, Net.MSG_TRY, info);
                if (n == Net.WOULDBLOCK) {
                    break;
                }
                int f = info.from().port() - 20_000;
                assertEquals(f, buf[0], "the datagram of flow " + f);
                assertTrue(to[f] == -1 || to[f] == m, "flow " + f + " reached members " + to[f] + " and " + m);
                to[f] = m;
                count[f]++;
            }
        }
        for (int f = 0; f < flows; f++) {
            assertEquals(3, count[f], "flow " + f + " delivered");
            a.closesocket(senders[f]);
        }
        return to;
    }

    @Test
    void membersShareThePortAndEachFlowSticksToOneMember() throws Exception {
        TestNet net = net();
        SocketManager a = net.stack(0).sockets("a");
        SocketManager b = net.stack(1).sockets("b");
        int[] members = {member(b, 0), member(b, 0), member(b, 0)};
        assertEquals(1, b.getsockopt(members[0], Net.SOL_SOCKET, Net.SO_REUSEPORT));
        int[] to = spread(net, a, b, members, 60);
        int[] per = new int[members.length];
        for (int m : to) {
            per[m]++;
        }
        for (int m = 0; m < members.length; m++) {
            assertTrue(per[m] >= 8, "member " + m + " got " + per[m] + " of 60 flows: " + java.util.Arrays.toString(per));
        }
        // the hash is keyed per stack from its (here seeded) secrets: the same network spreads alike
        TestNet again = net();
        SocketManager a2 = again.stack(0).sockets("a");
        SocketManager b2 = again.stack(1).sockets("b");
        int[] members2 = {member(b2, 0), member(b2, 0), member(b2, 0)};
        assertEquals(java.util.Arrays.toString(to), java.util.Arrays.toString(spread(again, a2, b2, members2, 60)));
    }

    @Test
    void everySocketMustSetItElseTheBindIsInUse() throws Exception {
        TestNet net = net();
        SocketManager b = net.stack(1).sockets("b");
        int first = member(b, 0);
        int plain = b.socket(AF_INET, SOCK_DGRAM, 0);
        assertEquals(0, b.getsockopt(plain, Net.SOL_SOCKET, Net.SO_REUSEPORT));
        assertEquals(Errno.EADDRINUSE, errno(() -> b.bind(plain, SockAddr.of(0, PORT))));
        b.setsockopt(plain, Net.SOL_SOCKET, Net.SO_REUSEADDR, 1); // SO_REUSEADDR is not enough
        assertEquals(Errno.EADDRINUSE, errno(() -> b.bind(plain, SockAddr.of(0, PORT))));
        b.closesocket(first);
        int lone = b.socket(AF_INET, SOCK_DGRAM, 0);
        b.bind(lone, SockAddr.of(0, PORT)); // without the option: alone on the port
        int late = b.socket(AF_INET, SOCK_DGRAM, 0);
        b.setsockopt(late, Net.SOL_SOCKET, Net.SO_REUSEPORT, 1);
        assertEquals(Errno.EADDRINUSE, errno(() -> b.bind(late, SockAddr.of(0, PORT))), "the holder did not set it");
    }

    @Test
    void aClosedMemberLeavesTheGroupAndTheOthersTakeItsFlows() throws Exception {
        TestNet net = net();
        SocketManager a = net.stack(0).sockets("a");
        SocketManager b = net.stack(1).sockets("b");
        int[] members = {member(b, 0), member(b, 0)};
        int[] to = spread(net, a, b, members, 20);
        List<Integer> toFirst = new ArrayList<>();
        for (int f = 0; f < to.length; f++) {
            if (to[f] == 0) {
                toFirst.add(f);
            }
        }
        assertTrue(!toFirst.isEmpty() && toFirst.size() < 20, "both members had flows: " + toFirst);
        b.closesocket(members[0]);
        int[] after = spread(net, a, b, new int[] {members[1]}, 20);
        for (int m : after) {
            assertEquals(0, m, "every flow to the remaining member");
        }
    }

    @Test
    void aSpecificAddressGroupWinsOverAWildcardOneAndBroadcastsReachEveryMember() throws Exception {
        TestNet net = net();
        SocketManager a = net.stack(0).sockets("a");
        SocketManager b = net.stack(1).sockets("b");
        int wild = member(b, 0);
        int[] exact = {member(b, TestNet.address(1)), member(b, TestNet.address(1))};
        int[] to = spread(net, a, b, exact, 10);
        for (int m : to) {
            assertTrue(m >= 0, "every flow went to the exact-address group");
        }
        assertEquals(Net.WOULDBLOCK, b.recvfrom(wild, new byte[8], 0, 8, Net.MSG_TRY, null));
        int tx = a.socket(AF_INET, SOCK_DGRAM, 0);
        a.setsockopt(tx, Net.SOL_SOCKET, Net.SO_BROADCAST, 1);
        a.sendto(tx, new byte[] {1}, 0, 1, 0, SockAddr.of(Net.INADDR_BROADCAST, PORT));
        net.run(Duration.ofMillis(10));
        assertEquals(1, b.recvfrom(wild, new byte[8], 0, 8, Net.MSG_TRY, null), "a broadcast reaches the wildcard member too");
    }
}
