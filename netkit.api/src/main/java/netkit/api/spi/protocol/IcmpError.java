package netkit.api.spi.protocol;

import netkit.api.Errno;
import netkit.api.wire.Bytes;
import netkit.api.wire.Checksum;
import netkit.api.wire.IcmpHeader;
import netkit.api.wire.Ipv4Packet;

/**
 * A received ICMP error (RFC 792) passed to the transport protocol named in its quoted header
 * (RFC 1122 §3.2.2). The quote starts with the original IP header at {@code quoteOffset}; the stack
 * passes on only quotes of datagrams this stack sent (quoted source is one of its addresses) whose
 * quoted header is a first fragment (offset 0), so the transport header is really there.
 *
 * @param type        ICMP type (3 unreachable, 11 time exceeded, 12 parameter problem)
 * @param code        ICMP code
 * @param errno       what a socket should report (ECONNREFUSED for port unreachable, ...)
 * @param hard        whether RFC 1122 calls it a hard error (protocol/port unreachable, frag needed)
 * @param nextHopMtu  for "fragmentation needed" (RFC 1191), else 0
 * @param from        the router or host that sent the error; for an error this stack raises itself
 *                    (address resolution of the next hop failed: host unreachable) its own address,
 *                    the quoted source, which a received packet never carries
 * @param quote       array holding the quoted datagram
 * @param quoteOffset where the quoted IP header starts
 * @param quoteLength bytes quoted (IP header + at least 8 bytes of transport header)
 */
public record IcmpError(int type, int code, Errno errno, boolean hard, int nextHopMtu, int from, byte[] quote,
        int quoteOffset, int quoteLength) {

    /** The quoted IP header, read through the wire view. */
    private Ipv4Packet quoted() {
        return new Ipv4Packet().wrap(quote, quoteOffset, quoteLength);
    }

    /** Length of the quoted IP header (IHL × 4). */
    public int quotedHeaderLength() {
        return quoted().headerLength();
    }

    /** Protocol field of the quoted IP header. */
    public int quotedProtocol() {
        return quoted().protocol();
    }

    /** Source address of the quoted datagram (this stack's, for errors about what it sent). */
    public int quotedSource() {
        return quoted().source();
    }

    /** Destination address of the quoted datagram. */
    public int quotedDestination() {
        return quoted().destination();
    }

    /** Where the quoted transport header starts in {@link #quote()}. */
    public int quotedTransportOffset() {
        return quoted().payloadOffset();
    }

    /** Bytes of the quoted transport header present (RFC 792 promises at least 8). */
    public int quotedTransportLength() {
        return quoteLength - quotedHeaderLength();
    }

    /**
     * The error as the ICMP message itself, what a socket with {@code IP_RECVERR} receives (as on
     * Linux): type, code, the next-hop MTU of "fragmentation needed" (RFC 1191), the quoted IP header
     * and the first 8 bytes after it (RFC 792), the checksum set. A new array each call.
     *
     * @since 2.4
     */
    public byte[] message() {
        int length = Math.min(quoteLength, quotedHeaderLength() + 8);
        byte[] m = new byte[IcmpHeader.LEN + length];
        m[0] = (byte) type;
        m[1] = (byte) code;
        if (nextHopMtu > 0) {
            Bytes.put16(m, 6, nextHopMtu);
        }
        System.arraycopy(quote, quoteOffset, m, IcmpHeader.LEN, length);
        Bytes.put16(m, 2, Checksum.of(m, 0, m.length));
        return m;
    }
}
