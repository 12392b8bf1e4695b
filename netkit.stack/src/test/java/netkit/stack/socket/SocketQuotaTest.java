package netkit.stack.socket;

import static netkit.api.Net.AF_INET;
import static netkit.api.Net.SOCK_DGRAM;
import static netkit.api.testing.ErrnoAssertions.errno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.api.admin.OwnerUsage;
import netkit.api.spi.protocol.SocketOptions;
import netkit.link.loopback.LoopbackDriver;
import netkit.stack.Stack;
import netkit.stack.StackSettings;
import netkit.stack.iface.InterfaceConfig;
import netkit.stack.testing.RawProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Per-owner quotas (issue #10, fairness between bundles): an owner over its socket quota gets
 * EMFILE, over its buffer quota ENOBUFS, and every other owner keeps working; quotas change at
 * runtime; closing an owner's sockets frees its quota.
 */
class SocketQuotaTest {
    private static final int RAW = RawProtocol.NUMBER;
    /** What a socket with default buffers reserves: SO_SNDBUF + SO_RCVBUF. */
    private static final long DEFAULT_CHARGE = 2L * SocketOptions.DEFAULT_BUFFER;

    private final Stack stack = new Stack("q", null,
            StackSettings.builder().maxSockets(16).socketsPerOwner(3).bufferBytesPerOwner(4 * DEFAULT_CHARGE).build(),
            1);
    private final Owner greedyOwner = new Owner("greedy [7]", 7, "greedy");
    private final SocketManager greedy;
    private final SocketManager polite;

    SocketQuotaTest() {
        stack.addDriver(new LoopbackDriver());
        stack.configure(InterfaceConfig.of("lo0", "loopback", Net.INADDR_LOOPBACK, 8));
        stack.addProtocol(new RawProtocol());
        greedy = stack.sockets(greedyOwner);
        polite = stack.sockets(new Owner("polite [8]", 8, "polite"));
    }

    @AfterEach
    void close() {
        stack.close();
    }

    private int raw(SocketManager api) throws ErrnoException {
        return api.socket(AF_INET, SOCK_DGRAM, RAW);
    }

    /** {@code api} sends a datagram to itself over loopback and reads it back. */
    private static void transfer(SocketManager api, int s) throws ErrnoException {
        api.setsockopt(s, Net.SOL_SOCKET, Net.SO_RCVTIMEO, 5000);
        api.sendto(s, new byte[] {42}, 0, 1, 0, SockAddr.of("127.0.0.1", 0));
        byte[] b = new byte[4];
        assertEquals(1, api.recv(s, b, 0, 4, 0));
        assertEquals(42, b[0]);
    }

    private OwnerUsage usage(String owner) {
        List<OwnerUsage> all = stack.admin().owners();
        return all.stream().filter(u -> u.owner().equals(owner)).findFirst()
                .orElseThrow(() -> new AssertionError(owner + " not in " + all));
    }

    @Test
    void defaultQuotaIsAQuarterOfTheTable() {
        StackSettings s = StackSettings.builder().maxSockets(4096).build();
        assertEquals(1024, s.socketsPerOwner());
        assertEquals(1024 * DEFAULT_CHARGE, s.bufferBytesPerOwner(), "every socket of the quota with default buffers");
        assertEquals(1, StackSettings.builder().maxSockets(2).build().socketsPerOwner(), "at least one");
    }

    @Test
    void anOwnerOverItsSocketQuotaGetsEmfileWhileOthersKeepWorking() throws Exception {
        for (int i = 0; i < 3; i++) {
            raw(greedy);
        }
        assertEquals(Errno.EMFILE, errno(() -> raw(greedy)));
        assertEquals(3, stack.socketLayer().table().open(), "a refused socket holds nothing");
        int s = raw(polite);
        transfer(polite, s);
        OwnerUsage g = usage("greedy [7]");
        assertEquals(3, g.sockets());
        assertEquals(3, g.maxSockets());
        assertEquals(3 * DEFAULT_CHARGE, g.bufferBytes());
        assertEquals(4 * DEFAULT_CHARGE, g.maxBufferBytes());
        assertEquals(1, usage("polite [8]").sockets());
    }

    @Test
    void anOwnerOverItsBufferQuotaGetsEnobufsWhileOthersKeepWorking() throws Exception {
        stack.quota("greedy", new SocketQuota(10, -1));
        int a = raw(greedy);
        int b = raw(greedy);
        // 2 default sockets reserve half of the quota; raising one buffer to the rest of it fits exactly
        int rest = (int) (2 * DEFAULT_CHARGE) + SocketOptions.DEFAULT_BUFFER;
        greedy.setsockopt(a, Net.SOL_SOCKET, Net.SO_RCVBUF, rest);
        assertEquals(4 * DEFAULT_CHARGE, usage("greedy [7]").bufferBytes());
        assertEquals(Errno.ENOBUFS, errno(() -> raw(greedy)), "no room for another socket's buffers");
        assertEquals(Errno.ENOBUFS, errno(() -> greedy.setsockopt(b, Net.SOL_SOCKET, Net.SO_SNDBUF, 300_000)));
        assertEquals(SocketOptions.DEFAULT_BUFFER, greedy.getsockopt(b, Net.SOL_SOCKET, Net.SO_SNDBUF),
                "a refused raise changes nothing");
        greedy.setsockopt(b, Net.SOL_SOCKET, Net.SO_SNDBUF, 100_000); // lowering is always allowed
        transfer(greedy, b);
        int p = raw(polite);
        polite.setsockopt(p, Net.SOL_SOCKET, Net.SO_RCVBUF, 1 << 20);
        transfer(polite, p);
        greedy.closesocket(a);
        assertEquals(DEFAULT_CHARGE / 2 + 100_000, usage("greedy [7]").bufferBytes());
        raw(greedy);
    }

    @Test
    void quotasChangeAtRuntime() throws Exception {
        for (int i = 0; i < 3; i++) {
            raw(greedy);
        }
        assertEquals(Errno.EMFILE, errno(() -> raw(greedy)));
        stack.settings(stack.settings().toBuilder().socketsPerOwner(5).bufferBytesPerOwner(-1).build());
        raw(greedy);
        raw(greedy);
        assertEquals(Errno.EMFILE, errno(() -> raw(greedy)));
        stack.quota("greedy", new SocketQuota(6, -1));
        raw(greedy);
        assertEquals(6 * DEFAULT_CHARGE, usage("greedy [7]").maxBufferBytes(), "-1: buffers for every socket");
        assertEquals(Errno.EMFILE, errno(() -> raw(greedy)));
        assertEquals(6, usage("greedy [7]").maxSockets());
        stack.quota("polite", new SocketQuota(1, -1));
        raw(polite);
        assertEquals(Errno.EMFILE, errno(() -> raw(polite)), "an override for one bundle");
        stack.removeQuota("polite");
        raw(polite);
        stack.quota("greedy", new SocketQuota(2, -1));
        assertEquals(6, usage("greedy [7]").sockets(), "a lowered quota closes nothing");
        assertEquals(Errno.EMFILE, errno(() -> raw(greedy)));
    }

    @Test
    void closingAllOfAnOwnersSocketsFreesItsQuota() throws Exception {
        for (int i = 0; i < 3; i++) {
            raw(greedy);
        }
        assertEquals(Errno.EMFILE, errno(() -> raw(greedy)));
        assertEquals(3, stack.closeAll(greedyOwner));
        assertTrue(stack.admin().owners().stream().noneMatch(u -> u.owner().equals("greedy [7]")),
                "an owner without sockets is not listed");
        for (int i = 0; i < 3; i++) {
            raw(greedy);
        }
    }

    @Test
    void badQuotasAreRefused() {
        assertEquals(IllegalArgumentException.class, org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> new SocketQuota(-2, -1)).getClass());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new SocketQuota(1, -7));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> StackSettings.builder().socketsPerOwner(-2).build());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> StackSettings.builder().bufferBytesPerOwner(-2).build());
    }

    @Test
    void aClosedTokenWaitsBehindEveryOtherFreeTokenWhateverFails() throws Exception {
        int stale = raw(greedy);
        int s = raw(greedy);
        greedy.closesocket(stale);
        SocketTable table = stack.socketLayer().table();
        int ahead = table.space() - table.open() - 1; // free tokens queued before the closed one
        for (int i = 0; i < ahead; i++) {
            assertEquals(Errno.EOPNOTSUPP, errno(() -> greedy.accept(s)));
        }
        stack.quota("greedy", new SocketQuota(1, -1)); // greedy is at its quota now
        for (int i = 0; i < ahead - 1; i++) {
            assertEquals(Errno.EMFILE, errno(() -> raw(greedy)), "refused calls move no token either");
            int t = raw(polite);
            assertNotEquals(stale, t, "creation " + i + ": every other free token goes first");
            polite.closesocket(t);
        }
    }
}
