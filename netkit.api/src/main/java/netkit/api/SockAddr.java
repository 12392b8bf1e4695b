package netkit.api;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * An immutable IPv4 socket address (the Network Kit's {@code sockaddr_in}): address and port.
 * Addresses are ints in host order (127.0.0.1 is {@code 0x7f000001}).
 *
 * <p>Java's {@link InetSocketAddress} is converted here, in both directions ({@link #of(InetSocketAddress)},
 * {@link #toInetSocketAddress()}), rather than accepted by a second form of every {@link SocketManager}
 * call: one way to pass an address, and one place that decides what an address netkit can use is.
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
     * The socket address of a Java socket address: an IPv4 address and its port ({@code 0.0.0.0}
     * for a wildcard address). No name is resolved.
     *
     * @throws IllegalArgumentException for an unresolved address or one that is not IPv4 (netkit has
     *                                  no IPv6); null gives NullPointerException
     */
    public static SockAddr of(InetSocketAddress address) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address " + address.getHostString());
        }
        return of(addressOf(address.getAddress()), address.getPort());
    }

    /**
     * The int form of a Java IPv4 address; the IPv6 wildcard {@code ::} is the IPv4 one, 0.0.0.0
     * (Java code binds to "any" either way). IPv4-mapped addresses need no rule: the JDK already
     * returns an {@link Inet4Address} for them.
     *
     * @throws IllegalArgumentException for any other IPv6 address
     */
    public static int addressOf(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return 0;
        }
        if (!(address instanceof Inet4Address)) {
            throw new IllegalArgumentException("not an IPv4 address: " + address);
        }
        byte[] b = address.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | b[3] & 0xff;
    }

    /** The Java form of an int address (an {@link Inet4Address} without a host name). */
    public static InetAddress inetAddress(int address) {
        byte[] b = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are always an address", e);
        }
    }

    /** This address as a Java socket address (resolved, without a host name). */
    public InetSocketAddress toInetSocketAddress() {
        return new InetSocketAddress(inetAddress(address), port);
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
