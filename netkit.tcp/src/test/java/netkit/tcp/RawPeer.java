package netkit.tcp;

import java.util.function.Consumer;
import netkit.api.buffer.PacketBuffer;
import netkit.api.wire.ArpPacket;
import netkit.api.wire.Bytes;
import netkit.api.wire.EthernetFrame;
import netkit.api.wire.Ipv4Packet;
import netkit.api.wire.TcpHeader;
import netkit.link.wire.WirePort;

/**
 * A hand-driven TCP peer on the harness's wire (10.0.0.50): answers ARP for its address, sends
 * crafted segments to stack 1 and hands every TCP segment it receives to {@link #onSegment}.
 */
final class RawPeer {
    static final int IP = 0x0a000032;
    static final long MAC = 0x02000000ddddL;
    static final long B_MAC = 0x020000000101L;
    static final int B_IP = 0x0a000002;
    private final WirePort port;
    private int ipId;
    /** Called with the TCP part of each received segment (header at 0) and its length. */
    Consumer<byte[]> onSegment = s -> { };

    RawPeer(TcpHarness h) {
        port = h.net.hub.segment("lan").attach(MAC, 1500, this::receive);
    }

    private void receive(PacketBuffer frame) {
        byte[] f = frame.toByteArray();
        frame.release();
        int type = Bytes.get16(f, 12);
        if (type == EthernetFrame.TYPE_ARP && Bytes.get16(f, 14 + 6) == ArpPacket.OP_REQUEST
                && Bytes.get32(f, 14 + 24) == IP) {
            byte[] r = new byte[14 + ArpPacket.LEN];
            long to = Bytes.get48(f, 14 + 8);
            EthernetFrame.emit(r, 0, to, MAC, EthernetFrame.TYPE_ARP);
            ArpPacket.emit(r, 14, ArpPacket.OP_REPLY, MAC, IP, to, Bytes.get32(f, 14 + 14));
            port.transmit(PacketBuffer.wrapCopy(r, 0, r.length));
        } else if (type == EthernetFrame.TYPE_IPV4 && (f[23] & 0xff) == 6 && Bytes.get32(f, 30) == IP) {
            int len = Bytes.get16(f, 16) - 20;
            onSegment.accept(java.util.Arrays.copyOfRange(f, 34, 34 + len));
        }
    }

    /** Sends a segment with {@code options} (padded to 4 bytes) and {@code data} to stack 1. */
    void send(int srcPort, int dstPort, int seq, int ack, int flags, int window, byte[] options, int data) {
        sendTo(B_MAC, B_IP, new byte[0], srcPort, dstPort, seq, ack, flags, window, options, data);
    }

    /**
     * Sends a segment as {@link #send} does, in a frame to {@code dstMac} and an IPv4 datagram to
     * {@code dstIp} whose header carries {@code ipOptions} (padded with zeros, END, to 4 bytes).
     */
    void sendTo(long dstMac, int dstIp, byte[] ipOptions, int srcPort, int dstPort, int seq, int ack, int flags,
            int window, byte[] options, int data) {
        int ihl = 20 + ((ipOptions.length + 3) & ~3);
        int hl = 20 + ((options.length + 3) & ~3);
        byte[] f = new byte[14 + ihl + hl + data];
        EthernetFrame.emit(f, 0, dstMac, MAC, EthernetFrame.TYPE_IPV4);
        Ipv4Packet.emit(f, 14, 0, ihl + hl + data, ipId++, 0, 64, 6, IP, dstIp);
        if (ihl > 20) {
            f[14] = (byte) (0x40 | ihl / 4);
            System.arraycopy(ipOptions, 0, f, 34, ipOptions.length);
            Bytes.put16(f, 14 + 10, 0);
            Bytes.put16(f, 14 + 10, netkit.api.wire.Checksum.of(f, 14, ihl));
        }
        int t = 14 + ihl;
        TcpHeader.emit(f, t, srcPort, dstPort, seq, ack, hl, flags, window);
        System.arraycopy(options, 0, f, t + 20, options.length);
        TcpHeader.checksum(f, t, hl + data, IP, dstIp);
        port.transmit(PacketBuffer.wrapCopy(f, 0, f.length));
    }

    /** Sends an ACK with URG, urgent pointer {@code pointer} and {@code data} bytes to stack 1. */
    void sendUrgent(int srcPort, int dstPort, int seq, int ack, int pointer, int data) {
        byte[] f = new byte[54 + data];
        EthernetFrame.emit(f, 0, B_MAC, MAC, EthernetFrame.TYPE_IPV4);
        Ipv4Packet.emit(f, 14, 0, 40 + data, ipId++, 0, 64, 6, IP, B_IP);
        TcpHeader.emit(f, 34, srcPort, dstPort, seq, ack, 20, TcpHeader.ACK | TcpHeader.URG, 65535);
        Bytes.put16(f, 34 + 18, pointer);
        TcpHeader.checksum(f, 34, 20 + data, IP, B_IP);
        port.transmit(PacketBuffer.wrapCopy(f, 0, f.length));
    }

    /** The MSS option. */
    static byte[] mss(int mss) {
        return new byte[] {2, 4, (byte) (mss >>> 8), (byte) mss};
    }

    /** Two NOPs and the timestamps option (RFC 7323 §3). */
    static byte[] timestamps(int tsVal, int tsEcr) {
        byte[] o = {1, 1, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0};
        Bytes.put32(o, 4, tsVal);
        Bytes.put32(o, 8, tsEcr);
        return o;
    }
}
