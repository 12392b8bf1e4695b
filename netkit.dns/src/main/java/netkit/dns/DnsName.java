package netkit.dns;

import java.io.ByteArrayOutputStream;

/**
 * Domain names as the resolver handles them: text without the trailing dot, compared
 * ASCII-case-insensitively (RFC 4343); host names checked by RFC 1123 §2.1 (letters, digits,
 * hyphens; underscores too, as resolvers accept them in queries).
 */
public final class DnsName {
    /** Longest name in text, without the trailing dot (255 octets on the wire, RFC 1035 §2.3.4). */
    public static final int MAX_TEXT = 253;
    /** Longest label (RFC 1035 §2.3.4). */
    public static final int MAX_LABEL = 63;

    private DnsName() {
    }

    /** Whether {@code name} (no trailing dot) is a name the resolver will ask for. */
    public static boolean valid(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_TEXT) {
            return false;
        }
        int label = 0;
        for (int i = 0; i <= name.length(); i++) {
            char c = i < name.length() ? name.charAt(i) : '.';
            if (c == '.') {
                if (label == 0 || name.charAt(i - 1) == '-' || name.charAt(i - label) == '-') {
                    return false;
                }
                label = 0;
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_') {
                if (++label > MAX_LABEL) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return true;
    }

    /** Whether two names are the same name (RFC 4343: ASCII letters compare without case). */
    public static boolean same(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            if (lower(a.charAt(i)) != lower(b.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The name with ASCII letters in lower case: a key for tables and the cache. */
    public static String key(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            b.append(lower(name.charAt(i)));
        }
        return b.toString();
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    /** The wire form (RFC 1035 §3.1) of a {@linkplain #valid valid} name. */
    public static byte[] encode(String name) {
        if (!valid(name)) {
            throw new IllegalArgumentException("not a domain name: '" + name + "'");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(name.length() + 2);
        for (String label : name.split("\\.")) {
            out.write(label.length());
            for (int i = 0; i < label.length(); i++) {
                out.write(label.charAt(i));
            }
        }
        out.write(0);
        return out.toByteArray();
    }

    /** The PTR name of an IPv4 address (host order): {@code d.c.b.a.in-addr.arpa} (RFC 1035 §3.5). */
    public static String reverse(int address) {
        return (address & 0xff) + "." + ((address >>> 8) & 0xff) + "." + ((address >>> 16) & 0xff) + "."
                + (address >>> 24) + ".in-addr.arpa";
    }
}
