package netkit.api.spi;

import netkit.api.Errno;

/**
 * A received ICMP error (RFC 792) passed to the transport protocol named in its quoted header
 * (RFC 1122 §3.2.2). The quote starts with the original IP header at {@code quoteOffset}.
 *
 * @param type        ICMP type (3 unreachable, 11 time exceeded, 12 parameter problem)
 * @param code        ICMP code
 * @param errno       what a socket should report (ECONNREFUSED for port unreachable, ...)
 * @param hard        whether RFC 1122 calls it a hard error (protocol/port unreachable, frag needed)
 * @param nextHopMtu  for "fragmentation needed" (RFC 1191), else 0
 * @param from        the router or host that sent the error
 * @param quote       array holding the quoted datagram
 * @param quoteOffset where the quoted IP header starts
 * @param quoteLength bytes quoted (IP header + at least 8 bytes of transport header)
 */
public record IcmpError(int type, int code, Errno errno, boolean hard, int nextHopMtu, int from, byte[] quote,
        int quoteOffset, int quoteLength) {
}
