package netkit.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import netkit.compat.testing.SelfSignedTls;
import netkit.compat.testing.TwoHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JDK's TLS layered over netkit sockets with SSLSocketFactory.createSocket(Socket, host, port, autoClose). */
class TlsTest {
    @Test
    @Timeout(120)
    void echoesTenMegabytesOverTlsOnNetkitSockets() throws Exception {
        SSLContext tls = SelfSignedTls.context("netkit-test");
        SSLSocketFactory layer = tls.getSocketFactory();
        byte[] data = new byte[10 << 20];
        new Random(10).nextBytes(data);
        try (TwoHosts net = new TwoHosts("tls");
                ServerSocket server = net.b.serverSocketFactory().createServerSocket(8443)) {
            CompletableFuture<String> echo = CompletableFuture.supplyAsync(() -> {
                try (Socket plain = server.accept();
                        SSLSocket s = (SSLSocket) layer.createSocket(plain, null, plain.getPort(), true)) {
                    s.setUseClientMode(false);
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    byte[] buf = new byte[16384];
                    for (int n; (n = in.read(buf)) >= 0;) {
                        out.write(buf, 0, n);
                    }
                    return s.getSession().getProtocol();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Socket plain = net.a.socketFactory().createSocket(TwoHosts.B, 8443);
            try (SSLSocket c = (SSLSocket) layer.createSocket(plain, TwoHosts.B, 8443, true)) {
                c.startHandshake();
                CompletableFuture<byte[]> back = CompletableFuture.supplyAsync(() -> {
                    try {
                        MessageDigest sha = MessageDigest.getInstance("SHA-256");
                        byte[] buf = new byte[65536];
                        long total = 0;
                        InputStream in = c.getInputStream();
                        for (int n; total < data.length && (n = in.read(buf)) >= 0;) {
                            sha.update(buf, 0, n);
                            total += n;
                        }
                        assertEquals(data.length, total);
                        return sha.digest();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                OutputStream out = c.getOutputStream();
                for (int off = 0; off < data.length; off += 65536) {
                    out.write(data, off, Math.min(65536, data.length - off));
                }
                out.flush();
                assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), back.get(60, TimeUnit.SECONDS));
                System.out.println("TLS echo of 10 MiB over netkit sockets: " + c.getSession().getProtocol() + " "
                        + c.getSession().getCipherSuite());
            }
            echo.get(30, TimeUnit.SECONDS);
        }
    }
}
