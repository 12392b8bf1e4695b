package netkit.console;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code netkit:send tcp HOST PORT --bytes N | --file F}: a measured bulk transfer. */
@Component(service = SendCommand.class, property = {"osgi.command.scope=netkit", "osgi.command.function=send"})
public final class SendCommand {
    private final SocketManager sockets;

    @Activate
    public SendCommand(@Reference SocketManager sockets) {
        this.sockets = sockets;
    }

    /** Connects, sends, closes; reports bytes, seconds, Gbit/s and SHA-256 of what was sent. */
    @Descriptor("send bytes over TCP: send tcp HOST PORT [--bytes N] [--file PATH]")
    public String send(@Descriptor("bytes of a generated pattern") @Parameter(names = "--bytes",
            absentValue = "1048576") long count, @Descriptor("file to send instead") @Parameter(names = "--file",
            absentValue = "") String file, @Descriptor("tcp") String protocol, @Descriptor("IPv4 address") String host,
            @Descriptor("port") int port) throws ErrnoException, IOException {
        if (!protocol.equals("tcp")) {
            throw new IllegalArgumentException("only tcp can be sent");
        }
        if (count < 0) {
            throw new IllegalArgumentException("--bytes must be 0 or more, got " + count);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, got " + port);
        }
        SockAddr remote = SockAddr.of(host, port);
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        int s = sockets.socket(Net.AF_INET, Net.SOCK_STREAM, Net.IPPROTO_TCP);
        long sent = 0;
        long start = System.nanoTime();
        try {
            sockets.connect(s, remote);
            byte[] buf = new byte[64 * 1024];
            if (!file.isEmpty()) {
                try (InputStream in = Files.newInputStream(Path.of(file))) {
                    for (int n; (n = in.read(buf)) > 0;) {
                        sha.update(buf, 0, n);
                        sockets.send(s, buf, 0, n, 0);
                        sent += n;
                    }
                }
            } else {
                for (int i = 0; i < buf.length; i++) {
                    buf[i] = (byte) (i * 31 + 7);
                }
                while (sent < count) {
                    int n = (int) Math.min(buf.length, count - sent);
                    sha.update(buf, 0, n);
                    sockets.send(s, buf, 0, n, 0);
                    sent += n;
                }
            }
            sockets.shutdown(s, Net.SHUT_WR);
            byte[] drain = new byte[4096];
            while (sockets.recv(s, drain, 0, drain.length, 0) > 0) {
                // wait for the peer's FIN so the figures cover delivery, not just buffering
            }
        } finally {
            sockets.closesocket(s);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return String.format("%d bytes in %.3f s, %.3f Gbit/s, sha256 %s%n", sent, seconds, sent * 8 / seconds / 1e9,
                HexFormat.of().formatHex(sha.digest()));
    }
}
