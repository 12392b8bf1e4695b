package netkit.console;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.api.TokenSet;
import netkit.console.names.NameLookup;
import netkit.console.shell.Interruptible;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code netkit:send tcp HOST PORT --bytes N | --file F}: a measured bulk transfer. It reads what
 * the peer sends back while it sends (an echo service returns everything), so neither side's
 * windows fill up for good; then it shuts down its write side and reads until the peer's FIN.
 * Ctrl-C (an interrupt) ends it with the figures so far.
 */
@Component(service = SendCommand.class, property = {"osgi.command.scope=netkit", "osgi.command.function=send"})
public final class SendCommand {
    private static final int CHUNK = 64 * 1024;
    private final SocketManager sockets;
    private final NameLookup names;

    /** Without a resolver: HOST must be a dotted quad. */
    public SendCommand(SocketManager sockets) {
        this(sockets, new NameLookup());
    }

    @Activate
    public SendCommand(@Reference SocketManager sockets, @Reference NameLookup names) {
        this.sockets = sockets;
        this.names = names;
    }

    /**
     * Connects, sends while reading what comes back, closes; reports bytes, seconds, Gbit/s and
     * SHA-256 of what was sent, and the bytes and SHA-256 of what came back, if anything did.
     */
    @Descriptor("send bytes over TCP: send tcp HOST PORT [--bytes N] [--file PATH]")
    public String send(@Descriptor("bytes of a generated pattern") @Parameter(names = "--bytes",
            absentValue = "1048576") long count, @Descriptor("file to send instead") @Parameter(names = "--file",
            absentValue = "") String file, @Descriptor("tcp") String protocol, @Descriptor("IPv4 address or host name") String host,
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
        SockAddr remote = SockAddr.of(names.address(host), port);
        try (InputStream in = file.isEmpty() ? new PatternStream(count) : open(file);
                Interruptible command = Interruptible.enter()) {
            int s = sockets.socket(Net.AF_INET, Net.SOCK_STREAM, Net.IPPROTO_TCP);
            Transfer t = new Transfer();
            try {
                command.call(() -> {
                    sockets.connect(s, remote);
                    return null;
                });
                t.start();
                exchange(command, s, in, t);
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EINTR) {
                    throw e;
                }
                t.interrupted = true;
            } catch (ClosedByInterruptException e) {
                Thread.interrupted(); // interrupted (not by Ctrl-C) while reading the file: taken
                t.interrupted = true;
            } finally {
                sockets.closesocket(s);
            }
            return t.summary();
        }
    }

    /** The file to send, checked before any socket is opened. */
    private static InputStream open(String file) {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IllegalArgumentException("--file " + file + ": " + (Files.exists(path)
                    ? Files.isDirectory(path) ? "is a directory" : "not readable" : "no such file"));
        }
        try {
            return Files.newInputStream(path);
        } catch (IOException e) {
            throw new IllegalArgumentException("--file " + file + ": " + e.getMessage());
        }
    }

    /**
     * Sends everything from {@code in} while reading what comes back, then shuts down the write
     * side and reads until the peer's FIN. Only {@link SocketManager#select} blocks while sending.
     */
    private void exchange(Interruptible command, int s, InputStream in, Transfer t)
            throws ErrnoException, IOException {
        byte[] out = new byte[CHUNK];
        byte[] back = new byte[CHUNK];
        int off = 0;
        int len = 0;
        boolean peerOpen = true;
        while (true) {
            command.check();
            if (off == len) {
                len = in.readNBytes(out, 0, out.length);
                off = 0;
                if (len == 0) {
                    break;
                }
            }
            TokenSet read = peerOpen ? TokenSet.of(s) : null;
            TokenSet write = TokenSet.of(s);
            command.call(() -> sockets.select(read, write, null, null));
            if (read != null && read.isSet(s)) {
                peerOpen = receive(command, s, back, t, Net.MSG_DONTWAIT);
            }
            if (write.isSet(s)) {
                int n = send(s, out, off, len - off);
                t.sent(out, off, n);
                off += n;
            }
        }
        sockets.shutdown(s, Net.SHUT_WR);
        while (peerOpen) {
            peerOpen = receive(command, s, back, t, 0);
        }
        t.finish();
    }

    private int send(int s, byte[] buf, int off, int len) throws ErrnoException {
        try {
            return sockets.send(s, buf, off, len, Net.MSG_DONTWAIT);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EWOULDBLOCK) {
                return 0;
            }
            throw e;
        }
    }

    /** Reads what is there (all of it when {@code flags} has MSG_DONTWAIT); false at the peer's FIN. */
    private boolean receive(Interruptible command, int s, byte[] buf, Transfer t, int flags)
            throws ErrnoException {
        do {
            command.check();
            int n;
            try {
                n = command.call(() -> sockets.recv(s, buf, 0, buf.length, flags));
            } catch (ErrnoException e) {
                if (e.errno() == Errno.EWOULDBLOCK) {
                    return true;
                }
                throw e;
            }
            if (n == 0) {
                return false;
            }
            t.received(buf, n);
        } while (flags != 0);
        return true;
    }

    /** The generated data of {@code --bytes}: 64 KiB of a fixed pattern, repeated. */
    static byte[] pattern() {
        byte[] p = new byte[CHUNK];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (i * 31 + 7);
        }
        return p;
    }

    /** {@code count} bytes of {@link #pattern()}. */
    private static final class PatternStream extends InputStream {
        private final byte[] pattern = pattern();
        private long left;
        private int at;

        PatternStream(long count) {
            this.left = count;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(Math.min(len, left), pattern.length - at);
            System.arraycopy(pattern, at, b, off, n);
            at = (at + n) % pattern.length;
            left -= n;
            return n;
        }
    }
}
