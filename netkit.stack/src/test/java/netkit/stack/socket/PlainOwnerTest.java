package netkit.stack.socket;

import static netkit.api.Net.AF_INET;
import static netkit.api.Net.SOCK_DGRAM;
import static netkit.api.testing.ErrnoAssertions.errno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import netkit.api.Errno;
import netkit.api.SocketManager;
import netkit.link.loopback.LoopbackDriver;
import netkit.stack.Stack;
import netkit.stack.StackSettings;
import netkit.stack.testing.RawProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code Stack.sockets(name)}: one owner per name (#15), so tokens and the quota are the name's. */
class PlainOwnerTest {
    private final Stack stack = new Stack("t", null, StackSettings.defaults(), 1);

    PlainOwnerTest() {
        stack.addDriver(new LoopbackDriver());
        stack.addProtocol(new RawProtocol());
    }

    @AfterEach
    void close() {
        stack.close();
    }

    @Test
    void oneNameIsOneOwner() throws Exception {
        SocketManager first = stack.sockets("app");
        SocketManager again = stack.sockets("app");
        assertSame(first, again);
        int t = first.socket(AF_INET, SOCK_DGRAM, RawProtocol.NUMBER);
        again.closesocket(t); // the same owner's token
        int u = stack.sockets("other").socket(AF_INET, SOCK_DGRAM, RawProtocol.NUMBER);
        assertEquals(Errno.EBADF, errno(() -> first.closesocket(u)), "another name is another owner");
    }

    @Test
    void theQuotaOfANameHoldsAcrossCalls() throws Exception {
        stack.quota("app", new SocketQuota(2, -1));
        stack.sockets("app").socket(AF_INET, SOCK_DGRAM, RawProtocol.NUMBER);
        stack.sockets("app").socket(AF_INET, SOCK_DGRAM, RawProtocol.NUMBER);
        assertEquals(Errno.EMFILE, errno(() -> stack.sockets("app").socket(AF_INET, SOCK_DGRAM, RawProtocol.NUMBER)));
        assertEquals(1, stack.admin().owners().size(), "one owner in netstat -b");
    }
}
