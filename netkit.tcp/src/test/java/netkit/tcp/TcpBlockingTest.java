package netkit.tcp;

import static netkit.api.Net.AF_INET;
import static netkit.api.Net.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.api.TokenSet;
import netkit.link.loopback.LoopbackDriver;
import netkit.stack.Stack;
import netkit.stack.StackSettings;
import netkit.stack.iface.InterfaceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Blocking calls with real threads and the real-time loop, over loopback. */
class TcpBlockingTest {
    private final Stack stack = new Stack("rt", null, StackSettings.defaults(), 3);
    private final SocketManager api;

    TcpBlockingTest() {
        stack.addDriver(new LoopbackDriver());
        stack.configure(InterfaceConfig.of("lo0", "loopback", Net.INADDR_LOOPBACK, 8));
        stack.addProtocol(new TcpProtocol());
        api = stack.sockets("rt");
    }

    @AfterEach
    void close() {
        stack.close();
    }

    private int listener(int backlog) throws ErrnoException {
        int l = api.socket(AF_INET, SOCK_STREAM, 0);
        api.bind(l, SockAddr.of("127.0.0.1", 0));
        api.listen(l, backlog);
        return l;
    }

    private static <T> CompletableFuture<T> async(Call<T> c) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return c.call();
            } catch (ErrnoException e) {
                throw new RuntimeException(e);
            }
        });
    }

    interface Call<T> {
        T call() throws ErrnoException;
    }

    @Test
    void blockingConnectAcceptSendRecv() throws Exception {
        int l = listener(4);
        CompletableFuture<Integer> accepted = async(() -> api.accept(l).token());
        int c = api.socket(AF_INET, SOCK_STREAM, 0);
        api.connect(c, api.getsockname(l));
        int s = accepted.get(5, TimeUnit.SECONDS);
        CompletableFuture<Integer> reader = async(() -> api.recv(s, new byte[16], 0, 16, Net.MSG_WAITALL));
        Thread.sleep(50);
        api.send(c, new byte[10], 0, 10, 0);
        api.send(c, new byte[6], 0, 6, 0);
        assertEquals(16, reader.get(5, TimeUnit.SECONDS), "MSG_WAITALL filled the buffer");
    }

    @Test
    void closeFromAnotherThreadWakesABlockedReceive() throws Exception {
        int l = listener(4);
        int c = api.socket(AF_INET, SOCK_STREAM, 0);
        api.connect(c, api.getsockname(l));
        CompletableFuture<Integer> blocked = async(() -> api.recv(c, new byte[4], 0, 4, 0));
        Thread.sleep(50);
        api.closesocket(c);
        Throwable t = assertThrows(Exception.class, () -> blocked.get(5, TimeUnit.SECONDS)).getCause().getCause();
        assertEquals(Errno.EBADF, ((ErrnoException) t).errno());
    }

    @Test
    void receiveTimeoutAndNonBlockingConnect() throws Exception {
        int l = listener(4);
        int c = api.socket(AF_INET, SOCK_STREAM, 0);
        api.setsockopt(c, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        assertEquals(Errno.EINPROGRESS, assertThrows(ErrnoException.class,
                () -> api.connect(c, api.getsockname(l))).errno());
        TokenSet w = TokenSet.of(c);
        assertEquals(1, api.select(null, w, null, java.time.Duration.ofSeconds(5)));
        assertEquals(0, api.getsockopt(c, Net.SOL_SOCKET, Net.SO_ERROR));
        TokenSet r = TokenSet.of(l);
        assertEquals(1, api.select(r, null, null, java.time.Duration.ofSeconds(5)), "a pending accept is readable");
        api.setsockopt(c, Net.SOL_SOCKET, Net.SO_NONBLOCK, 0);
        api.setsockopt(c, Net.SOL_SOCKET, Net.SO_RCVTIMEO, 100);
        long t0 = System.nanoTime();
        assertEquals(Errno.EWOULDBLOCK, assertThrows(ErrnoException.class,
                () -> api.recv(c, new byte[4], 0, 4, 0)).errno());
        assertTrue(System.nanoTime() - t0 >= 90_000_000L);
    }
}
