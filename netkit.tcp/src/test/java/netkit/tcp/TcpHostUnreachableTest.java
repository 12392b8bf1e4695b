package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import netkit.api.Errno;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.stats.ArpCounter;
import netkit.stack.testing.BlockingCall;
import org.junit.jupiter.api.Test;

/**
 * A connect to a host on the link that does not answer ARP fails with EHOSTUNREACH once address
 * resolution gives up (3 requests 1 s apart, about 3 s), as on Linux, instead of ETIMEDOUT after
 * 63 s of SYN retransmissions (issue 11).
 */
class TcpHostUnreachableTest {
    private static final long SECOND = 1_000_000_000L;
    private static final SockAddr NOBODY = SockAddr.of("10.0.0.99", 80);

    @Test
    void blockingConnectToADeadHostOnTheLinkFailsWithEhostunreachAfterThreeSeconds() throws Exception {
        TcpHarness h = new TcpHarness();
        int c = h.a.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        long start = h.net.loop.nanoTime();
        BlockingCall<Void> connect = BlockingCall.start(h.stack(0), () -> {
            h.a.connect(c, NOBODY);
            return null;
        });
        connect.awaitBlocked();
        h.run(Duration.ofMillis(2_999));
        connect.awaitBlocked();
        h.run(Duration.ofMillis(1));
        assertEquals(Errno.EHOSTUNREACH, connect.joinFailure().errno());
        assertEquals(start + 3 * SECOND, connect.returnedAt(), "when ARP gave up");
        assertEquals(1, h.stack(0).admin().statistics().arp().get(ArpCounter.UNRESOLVED));
        assertEquals(3, h.stack(0).admin().statistics().arp().get(ArpCounter.UNRESOLVED_DROPS),
                "the SYN and its retransmissions at 1 and 3 s waited and were dropped");
        assertEquals(1, h.counter(0, netkit.api.stats.TcpCounter.ATTEMPT_FAILS));
    }

    @Test
    void nonBlockingConnectReportsEhostunreachThroughSoError() throws Exception {
        TcpHarness h = new TcpHarness();
        int c = h.a.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        h.a.setsockopt(c, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        assertEquals(Errno.EINPROGRESS, netkit.api.testing.ErrnoAssertions.errno(() -> h.a.connect(c, NOBODY)));
        assertEquals(Errno.EHOSTUNREACH.number(), h.awaitConnect(c, Duration.ofSeconds(10)));
        long t = h.net.loop.nanoTime();
        assertTrue(t >= 3 * SECOND && t < 4 * SECOND, "about 3 s, not 63: " + t);
    }
}
