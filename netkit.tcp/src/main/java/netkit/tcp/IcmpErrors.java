package netkit.tcp;

import netkit.api.Errno;
import netkit.api.spi.protocol.IcmpError;
import netkit.api.spi.protocol.Route;
import netkit.api.wire.Bytes;

/**
 * ICMP errors that quote one of our segments: "fragmentation needed" lowers the path MTU and MSS
 * (RFC 1191), a hard error, or a host unreachable raised by this stack when ARP failed, ends a
 * connection still in SYN_SENT; other errors are kept as the soft error reported if the connection
 * times out (RFC 1122 §4.2.3.9). The quoted sequence number
 * must be in flight (RFC 5927 §4.1), so blind ICMP cannot disturb a connection.
 */
final class IcmpErrors {
    private IcmpErrors() {
    }

    /** The 4-tuple of the connection that sent the quoted segment, or null when too little is quoted. */
    static ConnectionKey quotedConnection(IcmpError e) {
        if (e.quotedTransportLength() < 8) {
            return null;
        }
        byte[] q = e.quote();
        int at = e.quotedTransportOffset();
        return new ConnectionKey(e.quotedSource(), Bytes.get16(q, at), e.quotedDestination(), Bytes.get16(q, at + 2));
    }

    /**
     * Whether this stack raised {@code e} itself (the reporter is the quoted source, our own
     * address, which no received packet may carry): address resolution of the next hop failed. Like
     * Linux, a connect in SYN_SENT then fails at once with EHOSTUNREACH instead of retransmitting
     * its SYN for a minute; a remote host unreachable stays a soft error (RFC 1122 §4.2.3.9).
     */
    static boolean raisedLocally(IcmpError e) {
        return e.from() == e.quotedSource();
    }

    /** Applies error {@code e} to connection {@code c}, which sent the quoted segment. */
    static void deliver(TcpConnection c, IcmpError e) {
        byte[] q = e.quote();
        long seq = c.extendSnd(Bytes.get32(q, e.quotedTransportOffset() + 4));
        if (seq < c.sndUna || seq > c.sndMax) {
            return; // RFC 5927 §4.1: the quoted segment must be in flight
        }
        if (e.nextHopMtu() > 0 && e.errno() == Errno.EMSGSIZE) {
            // RFC 1191: lower the path MTU and resend what was too big.
            Route r = c.route;
            c.route = new Route(r.destination(), r.nextHop(), r.source(), r.iface(),
                    Math.max(576, Math.min(r.mtu(), e.nextHopMtu())), r.checksumNotNeeded(), r.broadcast());
            c.computeMss();
            c.sndNxt = c.sndUna;
            TcpSender.output(c);
            return;
        }
        if (c.state == TcpState.SYN_SENT && (e.hard() || raisedLocally(e))) {
            c.fail(e.errno() == Errno.ENOPROTOOPT ? Errno.ECONNREFUSED : e.errno());
            return;
        }
        c.softError = e.errno(); // RFC 1122 §4.2.3.9: soft errors are reported if the connection times out
    }
}
