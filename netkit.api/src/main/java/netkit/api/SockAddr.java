package netkit.api;

/**
 * An immutable IPv4 socket address (the Network Kit's {@code sockaddr_in}): address and port.
 * Addresses are ints in host order (127.0.0.1 is {@code 0x7f000001}).
 */
public final class SockAddr {
    /** 0.0.0.0:0, the unbound address. */
    public static final SockAddr ANY = new SockAddr(0, 0);

    private final int address;
    private final int port;

    private SockAddr(int address, int port) {
        this.address = address;
        this.port = port;
    }

    /**
     * The socket address {@code address:port}.
     *
     * @throws IllegalArgumentException when port is outside 0..65535
     */
    public static SockAddr of(int address, int port) {
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        return address == 0 && port == 0 ? ANY : new SockAddr(address, port);
    }

    /** The socket address of a dotted-quad string and a port. */
    public static SockAddr of(String address, int port) {
        return of(parseAddress(address), port);
    }

    /**
     * Parses {@code "a.b.c.d:port"}.
     *
     * @throws IllegalArgumentException when the text is not of that form
     */
    public static SockAddr parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected a.b.c.d:port, got '" + text + "'");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in '" + text + "'");
        }
        return of(parseAddress(text.substring(0, colon)), port);
    }

    /**
     * Parses a dotted-quad IPv4 address strictly (four decimal parts 0..255, no leading signs).
     *
     * @throws IllegalArgumentException when the text is not a dotted quad
     */
    public static int parseAddress(String text) {
        int value = 0;
        int part = 0;
        int digits = 0;
        int parts = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || parts == 4) {
                    throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
                }
                value = (value << 8) | part;
                parts++;
                part = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9' && digits < 3) {
                part = part * 10 + (c - '0');
                digits++;
                if (part > 255) {
                    throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
                }
            } else {
                throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
            }
        }
        if (parts != 4) {
            throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
        }
        return value;
    }

    /** Formats an address as a dotted quad. */
    public static String formatAddress(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "."
                + (address & 0xff);
    }

    /** The IPv4 address. */
    public int address() {
        return address;
    }

    /** The port, 0..65535. */
    public int port() {
        return port;
    }

    /** A copy with another port. */
    public SockAddr withPort(int newPort) {
        return of(address, newPort);
    }

    /** A copy with another address. */
    public SockAddr withAddress(int newAddress) {
        return of(newAddress, port);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SockAddr && ((SockAddr) o).address == address && ((SockAddr) o).port == port;
    }

    @Override
    public int hashCode() {
        return address * 31 + port;
    }

    /** {@code a.b.c.d:port}. */
    @Override
    public String toString() {
        return formatAddress(address) + ":" + port;
    }
}
