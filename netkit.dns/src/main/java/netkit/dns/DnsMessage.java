package netkit.dns;

import java.util.ArrayList;
import java.util.List;

/**
 * A DNS message (RFC 1035 §4.1): queries are built here, responses parsed here. The parser treats
 * every response as hostile and its work is bounded by the message's length: counts that cannot fit
 * are refused before anything is read, every name is at most 255 octets, and a compression pointer
 * (§4.1.4) must point strictly before the name it continues (so pointers cannot loop) and past the
 * header. The answer and authority sections are decoded; the additional section is not read.
 */
public final class DnsMessage {
    /** A host address (RFC 1035 §3.2.2). */
    public static final int TYPE_A = 1;
    /** An authoritative name server. */
    public static final int TYPE_NS = 2;
    /** The canonical name of an alias. */
    public static final int TYPE_CNAME = 5;
    /** The start of a zone of authority. */
    public static final int TYPE_SOA = 6;
    /** A domain name pointer. */
    public static final int TYPE_PTR = 12;
    /** The Internet class. */
    public static final int CLASS_IN = 1;
    /** No error. */
    public static final int NOERROR = 0;
    /** The server could not interpret the query. */
    public static final int FORMERR = 1;
    /** The server failed. */
    public static final int SERVFAIL = 2;
    /** The name does not exist (NXDOMAIN). */
    public static final int NXDOMAIN = 3;
    /** Not implemented. */
    public static final int NOTIMP = 4;
    /** Refused. */
    public static final int REFUSED = 5;
    /** Header length. */
    public static final int HEADER = 12;
    /** Most compression pointers followed in one name (each must go strictly backwards anyway). */
    static final int MAX_POINTERS = 64;
    private static final int MIN_QUESTION = 5;
    private static final int MIN_RECORD = 11;

    private final int id;
    private final int flags;
    private final List<Question> questions;
    private final List<ResourceRecord> answers;
    private final List<ResourceRecord> authority;

    /** A question (RFC 1035 §4.1.2). */
    public record Question(String name, int type, int qclass) {
    }

    private DnsMessage(int id, int flags, List<Question> questions, List<ResourceRecord> answers,
            List<ResourceRecord> authority) {
        this.id = id;
        this.flags = flags;
        this.questions = questions;
        this.answers = answers;
        this.authority = authority;
    }

    /** A standard query (opcode 0) for {@code name}, recursion desired, class IN. */
    public static byte[] query(int id, String name, int type) {
        byte[] qname = DnsName.encode(name);
        byte[] q = new byte[HEADER + qname.length + 4];
        put16(q, 0, id);
        put16(q, 2, 0x0100); // RD
        put16(q, 4, 1);
        System.arraycopy(qname, 0, q, HEADER, qname.length);
        put16(q, HEADER + qname.length, type);
        put16(q, HEADER + qname.length + 2, CLASS_IN);
        return q;
    }

    /** The query ID of a message of at least two bytes. */
    public static int id(byte[] b) {
        return ((b[0] & 0xff) << 8) | (b[1] & 0xff);
    }

    /**
     * Parses the first {@code length} bytes of {@code b}.
     *
     * @throws MalformedMessageException when they are not a DNS message
     */
    public static DnsMessage parse(byte[] b, int length) throws MalformedMessageException {
        if (length < HEADER || length > b.length) {
            throw new MalformedMessageException("shorter than a header: " + length + " bytes");
        }
        int qd = u16(b, 4);
        int an = u16(b, 6);
        int ns = u16(b, 8);
        int ar = u16(b, 10);
        long least = (long) qd * MIN_QUESTION + (long) (an + ns + ar) * MIN_RECORD;
        if (least > length - HEADER) {
            throw new MalformedMessageException("counts " + qd + "/" + an + "/" + ns + "/" + ar + " need at least "
                    + least + " bytes, " + (length - HEADER) + " follow the header");
        }
        Reader r = new Reader(b, length);
        r.pos = HEADER;
        List<Question> questions = new ArrayList<>(qd);
        for (int i = 0; i < qd; i++) {
            String name = r.name();
            r.need(4);
            questions.add(new Question(name, u16(b, r.pos), u16(b, r.pos + 2)));
            r.pos += 4;
        }
        List<ResourceRecord> answers = records(r, an);
        List<ResourceRecord> authority = records(r, ns);
        return new DnsMessage(u16(b, 0), u16(b, 2), List.copyOf(questions), answers, authority);
    }

    private static List<ResourceRecord> records(Reader r, int count) throws MalformedMessageException {
        List<ResourceRecord> out = new ArrayList<>(count);
        byte[] b = r.b;
        for (int i = 0; i < count; i++) {
            String name = r.name();
            r.need(10);
            int type = u16(b, r.pos);
            int rclass = u16(b, r.pos + 2);
            long ttl = ((long) u16(b, r.pos + 4) << 16) | u16(b, r.pos + 6);
            if (ttl > Integer.MAX_VALUE) {
                ttl = 0; // RFC 2181 §8
            }
            int rdlength = u16(b, r.pos + 8);
            r.pos += 10;
            r.need(rdlength);
            int end = r.pos + rdlength;
            int address = 0;
            String target = null;
            long minimum = 0;
            switch (type) {
                case TYPE_A -> {
                    if (rdlength != 4) {
                        throw new MalformedMessageException("A record of " + rdlength + " bytes");
                    }
                    address = (u16(b, r.pos) << 16) | u16(b, r.pos + 2);
                }
                case TYPE_CNAME, TYPE_PTR, TYPE_NS -> {
                    target = r.name();
                    r.expectEnd(end, type);
                }
                case TYPE_SOA -> {
                    target = r.name();
                    r.name(); // RNAME
                    r.need(20);
                    minimum = ((long) u16(b, r.pos + 16) << 16) | u16(b, r.pos + 18);
                    if (minimum > Integer.MAX_VALUE) {
                        minimum = 0;
                    }
                    r.pos += 20;
                    r.expectEnd(end, type);
                }
                default -> {
                    // other types are skipped by their RDLENGTH
                }
            }
            r.pos = end;
            out.add(new ResourceRecord(name, type, rclass, ttl, address, target, minimum));
        }
        return List.copyOf(out);
    }

    /** The query ID. */
    public int id() {
        return id;
    }

    /** Whether this is a response (QR). */
    public boolean response() {
        return (flags & 0x8000) != 0;
    }

    /** The opcode (0: standard query). */
    public int opcode() {
        return (flags >>> 11) & 0xf;
    }

    /** Whether the message was truncated (TC). */
    public boolean truncated() {
        return (flags & 0x0200) != 0;
    }

    /** Whether the answer is authoritative (AA). */
    public boolean authoritative() {
        return (flags & 0x0400) != 0;
    }

    /** The response code. */
    public int rcode() {
        return flags & 0xf;
    }

    /** The question section. */
    public List<Question> questions() {
        return questions;
    }

    /** The answer section. */
    public List<ResourceRecord> answers() {
        return answers;
    }

    /** The authority section. */
    public List<ResourceRecord> authority() {
        return authority;
    }

    /** Whether this is a response (opcode 0) to exactly the question {@code name}/{@code type}/IN (RFC 5452 §9.1). */
    public boolean answers(String name, int type) {
        return questions.size() == 1 && questions.get(0).type() == type && questions.get(0).qclass() == CLASS_IN
                && DnsName.same(questions.get(0).name(), name);
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    /** A cursor over the message with the name decoder. */
    private static final class Reader {
        final byte[] b;
        final int length;
        int pos;

        Reader(byte[] b, int length) {
            this.b = b;
            this.length = length;
        }

        void need(int n) throws MalformedMessageException {
            if (pos + n > length) {
                throw new MalformedMessageException("record runs past the end at offset " + pos);
            }
        }

        void expectEnd(int end, int type) throws MalformedMessageException {
            if (pos != end) {
                throw new MalformedMessageException("RDATA of type " + type + " is not as long as RDLENGTH says");
            }
        }

        /**
         * Reads a name at {@code pos} and moves past it. Text: labels joined by dots, no trailing
         * dot, the root as {@code "."}; a dot, a backslash or a byte outside printable ASCII in a
         * label as {@code \DDD} (as dig prints them).
         */
        String name() throws MalformedMessageException {
            StringBuilder text = new StringBuilder();
            int p = pos;
            int limit = pos; // a pointer must point before this: strictly backwards, so no loops
            int end = -1;
            int wire = 1;
            int pointers = 0;
            while (true) {
                if (p >= length) {
                    throw new MalformedMessageException("name runs past the end at offset " + p);
                }
                int c = b[p] & 0xff;
                if (c == 0) {
                    if (end < 0) {
                        end = p + 1;
                    }
                    break;
                }
                if ((c & 0xc0) == 0xc0) {
                    if (p + 1 >= length) {
                        throw new MalformedMessageException("pointer cut off at offset " + p);
                    }
                    int target = ((c & 0x3f) << 8) | (b[p + 1] & 0xff);
                    if (target >= limit || target < HEADER || ++pointers > MAX_POINTERS) {
                        throw new MalformedMessageException("compression pointer at offset " + p + " to " + target
                                + " does not point back into the message");
                    }
                    if (end < 0) {
                        end = p + 2;
                    }
                    limit = target;
                    p = target;
                    continue;
                }
                if ((c & 0xc0) != 0) {
                    throw new MalformedMessageException("label type 0x" + Integer.toHexString(c & 0xc0)
                            + " at offset " + p);
                }
                wire += c + 1;
                if (wire > 255) {
                    throw new MalformedMessageException("name longer than 255 octets at offset " + pos);
                }
                if (p + 1 + c > length) {
                    throw new MalformedMessageException("label runs past the end at offset " + p);
                }
                if (text.length() > 0) {
                    text.append('.');
                }
                for (int i = p + 1; i <= p + c; i++) {
                    int ch = b[i] & 0xff;
                    if (ch <= 0x20 || ch >= 0x7f || ch == '.' || ch == '\\') {
                        text.append('\\').append((char) ('0' + ch / 100)).append((char) ('0' + ch / 10 % 10))
                                .append((char) ('0' + ch % 10));
                    } else {
                        text.append((char) ch);
                    }
                }
                p += 1 + c;
            }
            pos = end;
            return text.length() == 0 ? "." : text.toString();
        }
    }
}
