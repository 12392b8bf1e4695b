package netkit.console.serve;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import netkit.api.Accepted;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.SocketManager;

/**
 * TCP services: echo (RFC 862), discard (RFC 863), chargen (RFC 864), and sink (counts bytes and
 * SHA-256 per connection, shown by {@code serve list}). One thread accepts; one thread per
 * connection serves it.
 */
final class StreamService extends Service {
    private static final byte[] CHARGEN = chargenPattern();
    private final Map<Integer, String> sinks = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();

    StreamService(SocketManager sockets, String name, int port) {
        super(sockets, "tcp", name, port);
    }

    @Override
    int open() throws ErrnoException {
        int s = sockets.socket(Net.AF_INET, Net.SOCK_STREAM, Net.IPPROTO_TCP);
        try {
            sockets.setsockopt(s, Net.SOL_SOCKET, Net.SO_REUSEADDR, 1);
            sockets.bind(s, SockAddr.of(Net.INADDR_ANY, port));
            sockets.listen(s, Integer.MAX_VALUE); // as many as somaxconn allows, like SOMAXCONN
        } catch (ErrnoException e) {
            closeQuietly(s);
            throw e;
        }
        return s;
    }

    @Override
    void serve() throws ErrnoException {
        int socket = this.socket;
        while (true) {
            Accepted a = sockets.accept(socket);
            int n = connections.incrementAndGet();
            Thread t = new Thread(() -> handle(a.token(), n), "netkit-serve-tcp-" + name + "-" + port + "-" + n);
            t.setDaemon(true);
            t.start();
        }
    }

    private void handle(int s, int n) {
        try {
            switch (name) {
                case "echo" -> echo(s);
                case "discard" -> discard(s, null);
                case "chargen" -> chargen(s);
                default -> sink(s, n);
            }
        } catch (ErrnoException e) {
            // the peer went away or the service stopped: nothing more to do for this connection
        } finally {
            try {
                sockets.closesocket(s);
            } catch (ErrnoException ignored) {
                // already closed
            }
        }
    }

    private void echo(int s) throws ErrnoException {
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = sockets.recv(s, buf, 0, buf.length, 0)) > 0;) {
            bytes.addAndGet(n);
            sockets.send(s, buf, 0, n, 0);
        }
    }

    private long discard(int s, MessageDigest digest) throws ErrnoException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = sockets.recv(s, buf, 0, buf.length, 0)) > 0;) {
            bytes.addAndGet(n);
            total += n;
            if (digest != null) {
                digest.update(buf, 0, n);
            }
        }
        return total;
    }

    private void chargen(int s) throws ErrnoException {
        int at = 0;
        while (true) {
            int n = Math.min(CHARGEN.length - at, 74 * 95);
            sockets.send(s, CHARGEN, at, n, 0);
            bytes.addAndGet(n);
            at = (at + n) % (74 * 95);
        }
    }

    private void sink(int s, int n) throws ErrnoException {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String from = sockets.getpeername(s).toString();
        sinks.put(n, from + " receiving");
        long total = discard(s, d);
        sinks.put(n, from + " " + total + " bytes sha256 " + HexFormat.of().formatHex(d.digest()));
    }

    @Override
    String details() {
        StringBuilder sb = new StringBuilder(connections.get() + " connections");
        sinks.forEach((k, v) -> sb.append("; #").append(k).append(' ').append(v));
        return sb.toString();
    }

    /** RFC 864's rotating 72-character lines of printable ASCII, 95 lines then it repeats. */
    private static byte[] chargenPattern() {
        byte[] p = new byte[74 * 95 * 2];
        int i = 0;
        for (int line = 0; line < 190; line++) {
            for (int c = 0; c < 72; c++) {
                p[i++] = (byte) (' ' + (line + c) % 95);
            }
            p[i++] = '\r';
            p[i++] = '\n';
        }
        return p;
    }
}
