package netkit.tcp;

import java.util.ArrayList;
import java.util.List;
import netkit.api.buffer.PacketBuffer;
import netkit.api.wire.Bytes;
import netkit.api.wire.TcpHeader;
import netkit.link.wire.WirePort;

/** Records the frames on the harness's wire and injects crafted ones (old duplicates, blind RSTs). */
final class WireTap {
    private final List<byte[]> frames = new ArrayList<>();
    private final List<Integer> senders = new ArrayList<>();
    private final WirePort injector;

    WireTap(TcpHarness h) {
        this(h, true);
    }

    /** A tap that records only what the test passes to {@link #record} (its own filter decides). */
    WireTap(TcpHarness h, boolean filter) {
        injector = h.net.hub.segment("lan").attach(0x02000000eeeeL, 9000, PacketBuffer::release);
        if (filter) {
            h.net.hub.segment("lan").filter((port, frame) -> {
                record(frame.toByteArray(), (int) (port.mac() & 0xff));
                return true;
            });
        }
    }

    /** Records a frame sent by stack {@code sender}. */
    void record(byte[] frame, int sender) {
        frames.add(frame);
        senders.add(sender);
    }

    /** The last TCP frame stack {@code i} sent. */
    byte[] lastTcpFrom(int i) {
        for (int k = frames.size() - 1; k >= 0; k--) {
            byte[] f = frames.get(k);
            if (senders.get(k) == i && f.length > 34 && (f[23] & 0xff) == 6) {
                return f.clone();
            }
        }
        throw new AssertionError("no TCP frame from stack " + i);
    }

    /** Every TCP frame stack {@code i} sent, in order (Ethernet header at 0, TCP at 34). */
    List<byte[]> tcpFrom(int i) {
        List<byte[]> out = new ArrayList<>();
        for (int k = 0; k < frames.size(); k++) {
            byte[] f = frames.get(k);
            if (senders.get(k) == i && f.length > 34 && (f[23] & 0xff) == 6) {
                out.add(f.clone());
            }
        }
        return out;
    }

    /** The data length of a TCP frame from {@link #tcpFrom}. */
    static int dataLength(byte[] f) {
        return Bytes.get16(f, 16) - 20 - ((f[34 + 12] & 0xff) >>> 4) * 4;
    }

    /** The flags of a TCP frame from {@link #tcpFrom}. */
    static int flags(byte[] f) {
        return f[47] & 0x3f;
    }

    /** The MSS option of a TCP frame from {@link #tcpFrom}, -1 when it has none. */
    static int mssOption(byte[] f) {
        int end = 34 + ((f[34 + 12] & 0xff) >>> 4) * 4;
        for (int i = 54; i < end; ) {
            int kind = f[i] & 0xff;
            if (kind == 0) {
                break;
            }
            if (kind == 1) {
                i++;
                continue;
            }
            if (kind == 2) {
                return Bytes.get16(f, i + 2);
            }
            i += Math.max(2, f[i + 1] & 0xff);
        }
        return -1;
    }

    /** Number of TCP frames stack {@code i} sent carrying data. */
    int dataSegmentsFrom(int i) {
        int n = 0;
        for (int k = 0; k < frames.size(); k++) {
            byte[] f = frames.get(k);
            if (senders.get(k) == i && f.length > 34 && (f[23] & 0xff) == 6) {
                int ipLen = Bytes.get16(f, 16);
                int hl = ((f[34 + 12] & 0xff) >>> 4) * 4;
                if (ipLen - 20 - hl > 0) {
                    n++;
                }
            }
        }
        return n;
    }

    /** One line per TCP frame: sender, seq, ack, flags, data length (for failure messages). */
    String describe() {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < frames.size(); k++) {
            byte[] f = frames.get(k);
            if (f.length > 34 && (f[23] & 0xff) == 6) {
                int hl = ((f[34 + 12] & 0xff) >>> 4) * 4;
                sb.append(senders.get(k)).append(" seq ").append(Bytes.get32(f, 38) & 0xffffffffL).append(" ack ")
                        .append(Bytes.get32(f, 42) & 0xffffffffL).append(" flags ").append(f[47] & 0x3f).append(" len ")
                        .append(Bytes.get16(f, 16) - 20 - hl).append('\n');
            }
        }
        return sb.toString();
    }

    void inject(byte[] frame) {
        injector.transmit(PacketBuffer.wrapCopy(frame, 0, frame.length));
    }

    /** The frame turned into a bare RST whose sequence number is {@code delta} beyond its own. */
    static byte[] asRst(byte[] frame, int delta) {
        byte[] f = java.util.Arrays.copyOf(frame, 34 + 20);
        Bytes.put16(f, 16, 40);
        Bytes.put16(f, 24, 0);
        Bytes.put16(f, 24, netkit.api.wire.Checksum.of(f, 14, 20));
        Bytes.put32(f, 38, Bytes.get32(frame, 38) + delta);
        f[46] = 0x50;
        f[47] = TcpHeader.RST;
        TcpHeader.checksum(f, 34, 20, Bytes.get32(f, 26), Bytes.get32(f, 30));
        return f;
    }
}
