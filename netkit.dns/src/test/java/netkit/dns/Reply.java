package netkit.dns;

import java.io.ByteArrayOutputStream;

/**
 * Builds DNS responses byte by byte for the scripted server (names uncompressed unless written
 * raw), so tests can also build wrong ones: another ID, another question, TC, any RCODE.
 */
final class Reply {
    private final ByteArrayOutputStream records = new ByteArrayOutputStream();
    private int id;
    private String qname;
    private int qtype;
    private int flags = 0x8180; // QR, RD, RA
    private int answers;
    private int authority;
    private boolean inAuthority;

    private Reply(int id, String qname, int qtype) {
        this.id = id;
        this.qname = qname;
        this.qtype = qtype;
    }

    /** A NOERROR response to {@code q}, no records yet. */
    static Reply to(DnsServer.Query q) {
        return new Reply(q.id(), q.name(), q.type());
    }

    Reply id(int newId) {
        id = newId;
        return this;
    }

    Reply question(String name, int type) {
        qname = name;
        qtype = type;
        return this;
    }

    Reply rcode(int rcode) {
        flags = (flags & ~0xf) | rcode;
        return this;
    }

    Reply truncated() {
        flags |= 0x0200;
        return this;
    }

    Reply a(String owner, long ttl, int address) {
        return record(owner, DnsMessage.TYPE_A, ttl, new byte[] {(byte) (address >>> 24), (byte) (address >>> 16),
            (byte) (address >>> 8), (byte) address});
    }

    Reply cname(String owner, long ttl, String target) {
        return record(owner, DnsMessage.TYPE_CNAME, ttl, DnsName.encode(target));
    }

    Reply ptr(String owner, long ttl, String target) {
        return record(owner, DnsMessage.TYPE_PTR, ttl, DnsName.encode(target));
    }

    /** An SOA in the authority section (RFC 2308 negative answers). */
    Reply soa(String zone, long ttl, long minimum) {
        inAuthority = true;
        ByteArrayOutputStream rd = new ByteArrayOutputStream();
        rd.writeBytes(DnsName.encode("ns." + zone));
        rd.writeBytes(DnsName.encode("hostmaster." + zone));
        for (long v : new long[] {1, 3600, 600, 86400, minimum}) {
            rd.writeBytes(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
        }
        return record(zone, DnsMessage.TYPE_SOA, ttl, rd.toByteArray());
    }

    private Reply record(String owner, int type, long ttl, byte[] rdata) {
        if (inAuthority) {
            authority++;
        } else {
            answers++;
        }
        records.writeBytes(DnsName.encode(owner));
        records.writeBytes(new byte[] {(byte) (type >>> 8), (byte) type, 0, 1, (byte) (ttl >>> 24), (byte) (ttl >>> 16),
            (byte) (ttl >>> 8), (byte) ttl, (byte) (rdata.length >>> 8), (byte) rdata.length});
        records.writeBytes(rdata);
        return this;
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) (id >>> 8), (byte) id, (byte) (flags >>> 8), (byte) flags, 0, 1,
            (byte) (answers >>> 8), (byte) answers, (byte) (authority >>> 8), (byte) authority, 0, 0});
        out.writeBytes(DnsName.encode(qname));
        out.writeBytes(new byte[] {(byte) (qtype >>> 8), (byte) qtype, 0, 1});
        out.writeBytes(records.toByteArray());
        return out.toByteArray();
    }
}
