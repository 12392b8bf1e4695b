package netkit.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.wire.Bytes;

/** What the TCP fuzz targets share: segments from the injector, SYN options, the application's moves. */
final class TcpSegments {
    private static int nextPort = 20000;

    private TcpSegments() {
    }

    /** A fresh injector port for a connection (20000-60000, round robin). */
    static int port() {
        nextPort = nextPort >= 60000 ? 20000 : nextPort + 1;
        return nextPort;
    }

    /** One segment; seq/ack relative to {@code last} (s1's last segment to {@code port}) when there is one. */
    static void segment(FuzzNet n, FuzzedDataProvider data, int port, int dstPort, byte[] last) {
        int flags = switch (data.consumeInt(0, 7)) {
            case 0 -> 0x02; // SYN
            case 1 -> 0x10; // ACK
            case 2 -> 0x18; // PSH ACK
            case 3 -> 0x11; // FIN ACK
            case 4 -> 0x04; // RST
            case 5 -> 0x14; // RST ACK
            default -> data.consumeInt(0, 0xff);
        };
        int seq;
        int ack;
        int tsEcr = 0;
        if (last != null && data.consumeInt(0, 7) != 7) {
            seq = Bytes.get32(last, 8) + delta(data);
            int synFin = (last[13] & 0x03) != 0 ? 1 : 0;
            ack = Bytes.get32(last, 4) + synFin + delta(data);
            tsEcr = timestampOf(last);
        } else {
            seq = data.consumeInt();
            ack = data.consumeInt();
        }
        byte[] options = Frames.tcpOptions(data, tsEcr, ack);
        byte[] payload = data.consumeBytes(data.consumeInt(0, 1460));
        byte[] seg = Frames.tcp(port, dstPort, seq, ack, flags, 0xffff - data.consumeInt(0, 0xffff),
                data.consumeInt(0, 3) == 3 ? data.consumeInt(0, 0xffff) : 0, options, payload, FuzzNet.INJECTOR,
                FuzzNet.HOST);
        if (data.consumeInt(0, 15) == 15) {
            Frames.flipBit(seg, data);
        }
        n.injectIp(n.ip(6, FuzzNet.INJECTOR, FuzzNet.HOST, seg));
    }

    /** Mostly 0, sometimes a little or a lot off. */
    private static int delta(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 7)) {
            case 0, 1, 2, 3 -> 0;
            case 4 -> data.consumeInt(-2000, 2000);
            case 5 -> data.consumeInt(-100_000, 100_000);
            default -> data.consumeInt();
        };
    }

    /** The TSval of a segment's timestamps option, or 0. */
    static int timestampOf(byte[] seg) {
        int hl = ((seg[12] & 0xff) >>> 4) * 4;
        for (int i = 20; i + 1 < hl && i + 1 < seg.length;) {
            int kind = seg[i] & 0xff;
            if (kind == 0) {
                break;
            }
            if (kind == 1) {
                i++;
                continue;
            }
            int len = seg[i + 1] & 0xff;
            if (kind == 8 && len == 10 && i + 10 <= seg.length) {
                return Bytes.get32(seg, i + 2);
            }
            i += Math.max(2, len);
        }
        return 0;
    }

    static byte[] synOptions(FuzzedDataProvider data) {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        int mss = data.consumeInt(0, 3) == 3 ? data.consumeInt(0, 0xffff) : 1460;
        o.writeBytes(new byte[] {2, 4, (byte) (mss >>> 8), (byte) mss});
        if (data.consumeBoolean()) {
            o.writeBytes(new byte[] {1, 3, 3, (byte) data.consumeInt(0, 16)});
        }
        if (data.consumeBoolean()) {
            o.writeBytes(new byte[] {1, 1, 4, 2});
        }
        if (data.consumeBoolean()) {
            byte[] ts = {1, 1, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0};
            Bytes.put32(ts, 4, data.consumeInt());
            o.writeBytes(ts);
        }
        return o.toByteArray();
    }

    static void appRead(FuzzNet n, int c) {
        byte[] buf = new byte[65536];
        try {
            for (int r; (r = n.api.recv(c, buf, 0, buf.length, Net.MSG_DONTWAIT)) > 0;) {
                n.appRead += r;
            }
        } catch (ErrnoException e) {
            // EWOULDBLOCK, ECONNRESET, ...: a documented errno is fine
        }
    }

    static void appWrite(FuzzNet n, int c, int bytes) {
        try {
            n.api.send(c, new byte[bytes], 0, bytes, Net.MSG_DONTWAIT);
        } catch (ErrnoException e) {
            // EWOULDBLOCK, EPIPE, ECONNRESET, ...
        }
    }

    static void appShutdown(FuzzNet n, int c) {
        try {
            n.api.shutdown(c, Net.SHUT_WR);
        } catch (ErrnoException e) {
            // ENOTCONN after a reset
        }
    }

}
