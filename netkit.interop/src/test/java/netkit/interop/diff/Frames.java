package netkit.interop.diff;

import java.io.ByteArrayOutputStream;

/** Builds the crafted frames of the differential test: Ethernet, IPv4 (with options and fragments), TCP, UDP, ICMP. */
final class Frames {
    static final int FIN = 1;
    static final int SYN = 2;
    static final int RST = 4;
    static final int PSH = 8;
    static final int ACK = 16;
    static final int URG = 32;

    private Frames() {
    }

    static int addr(String dotted) {
        String[] p = dotted.split("\\.");
        return Integer.parseInt(p[0]) << 24 | Integer.parseInt(p[1]) << 16 | Integer.parseInt(p[2]) << 8 | Integer.parseInt(p[3]);
    }

    static byte[] ethernet(long dst, long src, int type, byte[] payload) {
        byte[] f = new byte[14 + payload.length];
        put48(f, 0, dst);
        put48(f, 6, src);
        put16(f, 12, type);
        System.arraycopy(payload, 0, f, 14, payload.length);
        return f;
    }

    /** An ARP packet (RFC 826) for IPv4 over Ethernet. */
    static byte[] arp(int op, long sha, int spa, long tha, int tpa) {
        byte[] a = new byte[28];
        put16(a, 0, 1);
        put16(a, 2, 0x0800);
        a[4] = 6;
        a[5] = 4;
        put16(a, 6, op);
        put48(a, 8, sha);
        put32(a, 14, spa);
        put48(a, 18, tha);
        put32(a, 24, tpa);
        return a;
    }

    /** An IPv4 header and payload; {@code frag} is the flags/fragment-offset word, options padded by the caller. */
    static byte[] ipv4(int src, int dst, int proto, int ttl, int id, int frag, byte[] options, byte[] payload) {
        int hl = 20 + options.length;
        byte[] p = new byte[hl + payload.length];
        p[0] = (byte) (0x40 | hl / 4);
        put16(p, 2, p.length);
        put16(p, 4, id);
        put16(p, 6, frag);
        p[8] = (byte) ttl;
        p[9] = (byte) proto;
        put32(p, 12, src);
        put32(p, 16, dst);
        System.arraycopy(options, 0, p, 20, options.length);
        put16(p, 10, ~checksum(p, 0, hl, 0) & 0xffff);
        System.arraycopy(payload, 0, p, hl, payload.length);
        return p;
    }

    static byte[] tcp(int src, int dst, int sport, int dport, long seq, long ack, int flags, int window, byte[] options,
            byte[] data) {
        return tcp(src, dst, sport, dport, seq, ack, flags, window, options, data, 0);
    }

    /** A TCP segment with urgent pointer {@code urp}. */
    static byte[] tcp(int src, int dst, int sport, int dport, long seq, long ack, int flags, int window, byte[] options,
            byte[] data, int urp) {
        byte[] t = new byte[20 + options.length + data.length];
        put16(t, 0, sport);
        put16(t, 2, dport);
        put32(t, 4, (int) seq);
        put32(t, 8, (int) ack);
        t[12] = (byte) ((20 + options.length) / 4 << 4);
        t[13] = (byte) flags;
        put16(t, 14, window);
        put16(t, 18, urp);
        System.arraycopy(options, 0, t, 20, options.length);
        System.arraycopy(data, 0, t, 20 + options.length, data.length);
        put16(t, 16, ~checksum(t, 0, t.length, pseudo(src, dst, 6, t.length)) & 0xffff);
        return t;
    }

    static byte[] udp(int src, int dst, int sport, int dport, byte[] data) {
        byte[] u = new byte[8 + data.length];
        put16(u, 0, sport);
        put16(u, 2, dport);
        put16(u, 4, u.length);
        System.arraycopy(data, 0, u, 8, data.length);
        int c = ~checksum(u, 0, u.length, pseudo(src, dst, 17, u.length)) & 0xffff;
        put16(u, 6, c == 0 ? 0xffff : c);
        return u;
    }

    static byte[] icmpEcho(int id, int seq, byte[] data) {
        byte[] m = new byte[8 + data.length];
        m[0] = 8;
        put16(m, 4, id);
        put16(m, 6, seq);
        System.arraycopy(data, 0, m, 8, data.length);
        put16(m, 2, ~checksum(m, 0, m.length, 0) & 0xffff);
        return m;
    }

    /** TCP options: MSS, SACK permitted, timestamps and window scale, in Linux's SYN order. */
    static byte[] synOptions(int mss, long tsval) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[] {2, 4, (byte) (mss >> 8), (byte) mss});
        o.writeBytes(new byte[] {4, 2, 8, 10});
        byte[] ts = new byte[8]; // TSval, TSecr 0
        put32(ts, 0, (int) tsval);
        o.writeBytes(ts);
        o.writeBytes(new byte[] {1, 3, 3, 7});
        return o.toByteArray();
    }

    /** MSS and SACK permitted (RFC 2018), no window scale, no timestamps. */
    static byte[] mssSackOk(int mss) {
        return new byte[] {2, 4, (byte) (mss >> 8), (byte) mss, 1, 1, 4, 2};
    }

    /** MSS, SACK permitted and window scale {@code shift}, padded to a multiple of 4 bytes. */
    static byte[] mssSackOkWs(int mss, int shift) {
        return new byte[] {2, 4, (byte) (mss >> 8), (byte) mss, 1, 1, 4, 2, 1, 3, 3, (byte) shift};
    }

    /** Two NOPs and a timestamps option (RFC 7323 §3, Appendix A layout). */
    static byte[] timestamps(long tsval, long tsecr) {
        byte[] o = {1, 1, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0};
        put32(o, 4, (int) tsval);
        put32(o, 8, (int) tsecr);
        return o;
    }

    static byte[] mssOption(int mss) {
        return new byte[] {2, 4, (byte) (mss >> 8), (byte) mss};
    }

    /** A Record Route option (RFC 791) with room for {@code slots} addresses, padded with an end-of-list. */
    static byte[] recordRoute(int slots) {
        int len = 3 + 4 * slots;
        byte[] o = new byte[(len + 3) / 4 * 4];
        o[0] = 7;
        o[1] = (byte) len;
        o[2] = 4;
        return o;
    }

    static int pseudo(int src, int dst, int proto, int len) {
        return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + proto + len;
    }

    /** The Internet checksum's one's-complement sum (RFC 1071), not yet inverted. */
    static int checksum(byte[] b, int off, int len, int initial) {
        long sum = initial;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += (b[off + i] & 0xff) << 8 | b[off + i + 1] & 0xff;
        }
        if ((len & 1) != 0) {
            sum += (b[off + len - 1] & 0xff) << 8;
        }
        while (sum >> 16 != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) sum;
    }

    static int get16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
    }

    static long get32(byte[] b, int at) {
        return ((long) get16(b, at) << 16 | get16(b, at + 2)) & 0xffffffffL;
    }

    static long get48(byte[] b, int at) {
        return (long) get16(b, at) << 32 | get32(b, at + 2);
    }

    static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >> 8);
        b[at + 1] = (byte) v;
    }

    static void put32(byte[] b, int at, int v) {
        put16(b, at, v >>> 16);
        put16(b, at + 2, v);
    }

    static void put48(byte[] b, int at, long v) {
        put16(b, at, (int) (v >>> 32));
        put32(b, at + 2, (int) v);
    }
}
