package netkit.itest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import netkit.api.Accepted;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** TCP inside Felix: an echo server and client through the API service, and the bundle's hot-swap. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class TcpIT extends FrameworkTestSupport {
    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() {
        return new Option[] {NetkitOptions.runtime()};
    }

    @Override
    BundleContext context() {
        return context;
    }

    private int stream(SocketManager api) throws Exception {
        await("tcp protocol", () -> {
            try {
                api.closesocket(api.socket(Net.AF_INET, Net.SOCK_STREAM, 0));
                return true;
            } catch (ErrnoException e) {
                return false;
            }
        });
        return api.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
    }

    @Test(timeout = 120_000)
    public void consoleSendToItsOwnEchoServiceCompletes() throws Exception {
        SocketManager api = service(SocketManager.class);
        api.closesocket(stream(api));
        console("netkit:serve tcp echo 7300");
        try {
            String out = console("netkit:send --bytes 8388608 tcp 127.0.0.1 7300");
            assertTrue(out, out.startsWith("8388608 bytes in "));
            assertTrue(out, out.contains("received 8388608 bytes back, sha256 "));
            String sent = out.substring(out.indexOf("sha256 ") + 7, out.indexOf("sha256 ") + 71);
            assertTrue("what came back is what was sent: " + out, out.endsWith("sha256 " + sent + "\n"));
        } finally {
            console("netkit:serve stop 7300");
        }
    }

    @Test
    public void echoClientAndServerThroughTheApi() throws Exception {
        SocketManager api = service(SocketManager.class);
        int listener = stream(api);
        SockAddr bound = api.bind(listener, SockAddr.of("127.0.0.1", 0));
        api.listen(listener, 4);
        CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
            try {
                Accepted a = api.accept(listener);
                byte[] buf = new byte[8192];
                for (int n; (n = api.recv(a.token(), buf, 0, buf.length, 0)) > 0;) {
                    api.send(a.token(), buf, 0, n, 0);
                }
                api.closesocket(a.token());
            } catch (ErrnoException e) {
                throw new IllegalStateException(e);
            }
        });
        int client = stream(api);
        api.connect(client, bound);
        byte[] data = new byte[1 << 20];
        new Random(4).nextBytes(data);
        CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> {
            try {
                byte[] got = new byte[data.length];
                int at = 0;
                for (int n; at < got.length && (n = api.recv(client, got, at, got.length - at, 0)) > 0;) {
                    at += n;
                }
                return java.util.Arrays.copyOf(got, at);
            } catch (ErrnoException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(data.length, api.send(client, data, 0, data.length, 0));
        api.shutdown(client, Net.SHUT_WR);
        assertArrayEquals(data, reader.get(30, TimeUnit.SECONDS));
        server.get(30, TimeUnit.SECONDS);
        assertTrue(console("netkit:netstat -e").contains("tcp"));
        api.closesocket(client);
        api.closesocket(listener);
    }

    @Test
    public void stoppingTcpGivesEnetdownAndStartingRestoresService() throws Exception {
        SocketManager api = service(SocketManager.class);
        int s = stream(api);
        Bundle tcp = bundle("netkit.tcp");
        tcp.stop();
        assertEquals("ENETDOWN expected", Errno.ENETDOWN, errno(() -> api.connect(s, SockAddr.of("127.0.0.1", 9))));
        api.closesocket(s);
        tcp.start();
        int again = stream(api);
        assertEquals("nothing listens on port 9", Errno.ECONNREFUSED,
                errno(() -> api.connect(again, SockAddr.of("127.0.0.1", 9))));
        api.closesocket(again);
    }
}
