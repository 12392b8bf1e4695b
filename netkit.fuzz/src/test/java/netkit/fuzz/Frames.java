package netkit.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import netkit.api.wire.Bytes;
import netkit.api.wire.Checksum;
import netkit.api.wire.EthernetFrame;
import netkit.api.wire.Ipv4Packet;

/**
 * Builders of wire bytes for the fuzz targets: valid headers, lengths and checksums unless the
 * fuzzer chooses to break them, so inputs get past the checksums into the parsers behind them.
 */
public final class Frames {
    private Frames() {
    }

    /** An Ethernet frame around {@code payload}. */
    static byte[] ethernet(long dst, long src, int type, byte[] payload) {
        byte[] f = new byte[EthernetFrame.HEADER_LEN + payload.length];
        EthernetFrame.emit(f, 0, dst, src, type);
        System.arraycopy(payload, 0, f, EthernetFrame.HEADER_LEN, payload.length);
        return f;
    }

    /**
     * An IPv4 packet: header with {@code options} (padded to 4 bytes, at most 40), correct total
     * length and checksum.
     */
    public static byte[] ipv4(int tos, int id, int flagsAndOffset, int ttl, int protocol, int src, int dst, byte[] options,
            byte[] payload) {
        int optLen = Math.min(40, (options.length + 3) & ~3);
        int hl = Ipv4Packet.MIN_HEADER_LEN + optLen;
        int total = Math.min(Ipv4Packet.MAX_LEN, hl + payload.length);
        byte[] p = new byte[total];
        Ipv4Packet.emit(p, 0, tos, total, id, flagsAndOffset, ttl, protocol, src, dst);
        System.arraycopy(options, 0, p, Ipv4Packet.MIN_HEADER_LEN, Math.min(options.length, optLen));
        System.arraycopy(payload, 0, p, hl, total - hl);
        p[0] = (byte) (0x40 | hl / 4);
        ipChecksum(p);
        return p;
    }

    /** Recomputes the IPv4 header checksum of {@code p} (header at 0, its IHL). */
    static void ipChecksum(byte[] p) {
        int hl = Math.min(p.length, (p[0] & 0x0f) * 4);
        if (hl < Ipv4Packet.MIN_HEADER_LEN) {
            return;
        }
        Bytes.put16(p, 10, 0);
        Bytes.put16(p, 10, Checksum.of(p, 0, hl));
    }

    /** The transport checksum over the pseudo-header, stored at {@code at} inside {@code seg}. */
    static void transportChecksum(byte[] seg, int at, int protocol, int src, int dst) {
        Bytes.put16(seg, at, 0);
        long sum = Checksum.addPseudoHeader(0, src, dst, protocol, seg.length);
        int c = Checksum.finish(Checksum.add(sum, seg, 0, seg.length));
        Bytes.put16(seg, at, protocol == 17 && c == 0 ? 0xffff : c);
    }

    /** A UDP datagram with a correct length and checksum. */
    static byte[] udp(int srcPort, int dstPort, int src, int dst, byte[] payload) {
        byte[] d = new byte[8 + payload.length];
        Bytes.put16(d, 0, srcPort);
        Bytes.put16(d, 2, dstPort);
        Bytes.put16(d, 4, d.length);
        System.arraycopy(payload, 0, d, 8, payload.length);
        transportChecksum(d, 6, 17, src, dst);
        return d;
    }

    /** An ICMP message: type, code, the 4 bytes after the checksum, body; checksum correct. */
    static byte[] icmp(int type, int code, int rest, byte[] body) {
        byte[] m = new byte[8 + body.length];
        m[0] = (byte) type;
        m[1] = (byte) code;
        Bytes.put32(m, 4, rest);
        System.arraycopy(body, 0, m, 8, body.length);
        Bytes.put16(m, 2, Checksum.of(m, 0, m.length));
        return m;
    }

    /** A TCP segment with {@code options} (padded to 4 bytes, at most 40) and a correct checksum. */
    static byte[] tcp(int srcPort, int dstPort, int seq, int ack, int flags, int window, int urgent, byte[] options,
            byte[] payload, int src, int dst) {
        int optLen = Math.min(40, (options.length + 3) & ~3);
        int hl = 20 + optLen;
        byte[] s = new byte[hl + payload.length];
        Bytes.put16(s, 0, srcPort);
        Bytes.put16(s, 2, dstPort);
        Bytes.put32(s, 4, seq);
        Bytes.put32(s, 8, ack);
        s[12] = (byte) ((hl / 4) << 4);
        s[13] = (byte) flags;
        Bytes.put16(s, 14, window);
        Bytes.put16(s, 18, urgent);
        System.arraycopy(options, 0, s, 20, Math.min(options.length, optLen));
        System.arraycopy(payload, 0, s, hl, payload.length);
        transportChecksum(s, 16, 6, src, dst);
        return s;
    }

    /**
     * TCP options the fuzzer composes from well-formed kinds (MSS, window scale, SACK-permitted,
     * timestamps, SACK blocks, NOP, EOL) or raw bytes.
     */
    static byte[] tcpOptions(FuzzedDataProvider data, int tsEcr, int sackBase) {
        if (data.consumeInt(0, 7) == 7) {
            return data.consumeBytes(data.consumeInt(0, 40));
        }
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        int n = data.consumeInt(0, 6);
        for (int i = 0; i < n && o.size() < 40; i++) {
            switch (data.consumeInt(0, 6)) {
                case 0 -> o.writeBytes(new byte[] {2, 4, data.consumeByte(), data.consumeByte()});
                case 1 -> o.writeBytes(new byte[] {3, 3, (byte) data.consumeInt(0, 20)});
                case 2 -> o.writeBytes(new byte[] {4, 2});
                case 3 -> {
                    byte[] ts = {8, 10, 0, 0, 0, 0, 0, 0, 0, 0};
                    Bytes.put32(ts, 2, data.consumeInt());
                    Bytes.put32(ts, 6, data.consumeBoolean() ? data.consumeInt() : tsEcr);
                    o.writeBytes(ts);
                }
                case 4 -> {
                    int blocks = data.consumeInt(1, 4);
                    byte[] sack = new byte[2 + 8 * blocks];
                    sack[0] = 5;
                    sack[1] = (byte) sack.length;
                    for (int b = 0; b < blocks; b++) {
                        int left = sackBase + data.consumeInt(-70000, 70000);
                        Bytes.put32(sack, 2 + 8 * b, left);
                        Bytes.put32(sack, 6 + 8 * b, left + data.consumeInt(-100, 70000));
                    }
                    o.writeBytes(sack);
                }
                case 5 -> o.write(1);
                default -> o.write(data.consumeBoolean() ? 0 : data.consumeInt(0, 255));
            }
        }
        byte[] b = o.toByteArray();
        return b.length > 40 ? java.util.Arrays.copyOf(b, 40) : b;
    }

    /** Flips one bit of {@code b} at a fuzzer-chosen position (when it has bytes). */
    static void flipBit(byte[] b, FuzzedDataProvider data) {
        if (b.length > 0) {
            int bit = data.consumeInt(0, b.length * 8 - 1);
            b[bit / 8] ^= (byte) (1 << (bit % 8));
        }
    }
}
