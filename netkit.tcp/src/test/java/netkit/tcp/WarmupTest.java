package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import netkit.api.Net;
import netkit.api.RecvInfo;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.api.spi.protocol.ProtocolInstance;
import netkit.api.spi.protocol.StackContext;
import netkit.api.spi.protocol.TransportProtocol;
import netkit.api.stats.StackStatistics;
import netkit.api.time.SimulatedLoop;
import netkit.icmp.IcmpProtocol;
import netkit.link.loopback.LoopbackDriver;
import netkit.stack.Stack;
import netkit.stack.StackSettings;
import netkit.stack.iface.InterfaceConfig;
import netkit.udp.UdpProtocol;
import org.junit.jupiter.api.Test;

/**
 * The stack's warm-up at start ({@code StackSettings.warmUp}, issue #13): it runs on a throw-away
 * stack and leaves nothing in the real one, fails safe, can be turned off and does not run on a
 * simulated loop. What is warm is per JVM and per protocol class, so each test uses protocol
 * classes of its own (anonymous subclasses) that count how often they are attached: once for the
 * real stack, once more when the warm-up ran.
 */
class WarmupTest {
    private static final int LO = Net.INADDR_LOOPBACK;

    /** TCP that counts its attaches; throws from the second on when {@code failWarmUp}. */
    private static class CountingTcp extends TcpProtocol {
        final AtomicInteger attaches = new AtomicInteger();
        private final boolean failWarmUp;

        CountingTcp(boolean failWarmUp) {
            this.failWarmUp = failWarmUp;
        }

        @Override
        public ProtocolInstance attach(StackContext stack) {
            if (attaches.incrementAndGet() > 1 && failWarmUp) {
                throw new IllegalStateException("warm-up failure (test)");
            }
            return super.attach(stack);
        }
    }

    /**
     * The three protocols, each of a class of its own: each caller writes {@code new CountingTcp(f) {}},
     * {@code new UdpProtocol() {}}, {@code new IcmpProtocol() {}} (a class per place in the source).
     */
    private record Counted(CountingTcp tcp, TransportProtocol udp, TransportProtocol icmp) {
        AtomicInteger attaches() {
            return tcp.attaches;
        }
    }

    private static Stack stack(StackSettings settings, netkit.api.time.EventLoop loop, Counted p) {
        Stack s = new Stack("warm", loop, settings, 7);
        s.addDriver(new LoopbackDriver());
        s.configure(InterfaceConfig.of("lo0", "loopback", LO, 8));
        s.addProtocol(p.tcp);
        s.addProtocol(p.udp);
        s.addProtocol(p.icmp);
        return s;
    }

    private static String stats(Stack s) {
        StackStatistics st = s.admin().statistics();
        return st.ip().byName() + " " + st.arp().byName() + " " + st.icmp().byName() + " " + st.udp().byName() + " "
                + st.tcp().byName();
    }

    @Test
    void leavesNothingInTheRealStack() throws Exception {
        Counted p = new Counted(new CountingTcp(false) {
        }, new UdpProtocol() {
        }, new IcmpProtocol() {
        });
        Counted q = new Counted(new CountingTcp(false) {
        }, new UdpProtocol() {
        }, new IcmpProtocol() {
        });
        try (Stack warm = stack(StackSettings.defaults(), null, p);
                Stack cold = stack(StackSettings.builder().warmUp(false).build(), null, q)) {
            assertTrue(warm.awaitWarmUp(60_000));
            assertEquals(2, p.attaches().get(), "the warm-up attached TCP to its own stack");
            assertEquals(1, q.attaches().get(), "warmUp=false: no warm-up");
            assertEquals(stats(cold), stats(warm), "no counter moved in the real stack");
            assertTrue(warm.admin().sockets().isEmpty());
            assertTrue(warm.admin().owners().isEmpty(), "no owner, no quota charged: " + warm.admin().owners());
            // the same first token as a stack that never warmed up
            SocketManager a = warm.sockets("app");
            SocketManager b = cold.sockets("app");
            assertEquals(b.socket(Net.AF_INET, Net.SOCK_DGRAM, Net.IPPROTO_ICMP),
                    a.socket(Net.AF_INET, Net.SOCK_DGRAM, Net.IPPROTO_ICMP));
        }
    }

    @Test
    void failureIsIgnoredAndTheStackWorks() throws Exception {
        Counted p = new Counted(new CountingTcp(true) {
        }, new UdpProtocol() {
        }, new IcmpProtocol() {
        });
        try (Stack s = stack(StackSettings.defaults(), null, p)) {
            assertTrue(s.awaitWarmUp(60_000));
            assertEquals(2, p.attaches().get(), "the warm-up tried and failed");
            SocketManager api = s.sockets("app");
            int l = api.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
            api.bind(l, SockAddr.of(LO, 0));
            api.listen(l, 1);
            int c = api.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
            api.connect(c, api.getsockname(l));
            int a = api.accept(l).token();
            api.send(c, new byte[] {42}, 0, 1, 0);
            byte[] b = new byte[1];
            assertEquals(1, api.recv(a, b, 0, 1, 0));
            assertEquals(42, b[0]);
            assertEquals(1, s.admin().statistics().tcp().byName().get("ActiveOpens"));
        }
    }

    @Test
    void aPingDuringTheWarmUpIsAnswered() throws Exception {
        Counted p = new Counted(new CountingTcp(false) {
        }, new UdpProtocol() {
        }, new IcmpProtocol() {
        });
        try (Stack s = stack(StackSettings.defaults(), null, p)) {
            SocketManager api = s.sockets("ping");
            int sock = api.socket(Net.AF_INET, Net.SOCK_DGRAM, Net.IPPROTO_ICMP);
            api.setsockopt(sock, Net.SOL_SOCKET, Net.SO_RCVTIMEO, 5000);
            byte[] req = new byte[16];
            req[0] = 8;
            api.sendto(sock, req, 0, req.length, 0, SockAddr.of(LO, 0));
            byte[] reply = new byte[64];
            assertEquals(16, api.recvfrom(sock, reply, 0, reply.length, 0, new RecvInfo()));
            assertEquals(0, reply[0], "echo reply");
            assertTrue(s.awaitWarmUp(60_000));
            assertEquals(1, s.admin().statistics().icmp().byName().get("InEchoReps"));
        }
    }

    @Test
    void offAndSimulatedLoopsDoNotWarmUp() throws Exception {
        Counted off = new Counted(new CountingTcp(false) {
        }, new UdpProtocol() {
        }, new IcmpProtocol() {
        });
        Counted sim = new Counted(new CountingTcp(false) {
        }, new UdpProtocol() {
        }, new IcmpProtocol() {
        });
        try (Stack a = stack(StackSettings.builder().warmUp(false).build(), null, off);
                Stack b = stack(StackSettings.defaults(), new SimulatedLoop(), sim)) {
            assertTrue(a.awaitWarmUp(0));
            assertTrue(b.awaitWarmUp(0));
            Thread.sleep(200);
            assertEquals(1, off.attaches().get());
            assertEquals(1, sim.attaches().get());
            // turned on later: it warms up then
            a.settings(a.settings().toBuilder().warmUp(true).build());
            assertTrue(a.awaitWarmUp(60_000));
            assertEquals(2, off.attaches().get());
        }
    }
}
