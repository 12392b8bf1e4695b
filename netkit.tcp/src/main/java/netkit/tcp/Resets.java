package netkit.tcp;

import netkit.api.ErrnoException;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.protocol.Route;
import netkit.api.stats.TcpCounter;
import netkit.api.wire.TcpHeader;

/**
 * RSTs sent from a 4-tuple alone, without a connection's state: the reply to a segment that
 * belongs to no connection (RFC 9293 §3.10.7.1), and the RST for an unacceptable ACK in LISTEN,
 * SYN_SENT or SYN_RECEIVED (§3.10.7.2-4). A connection aborting itself uses
 * {@link TcpSender#sendReset(TcpConnection)}.
 */
final class Resets {
    private final TcpInstance tcp;

    Resets(TcpInstance tcp) {
        this.tcp = tcp;
    }

    /** RFC 9293 §3.10.7.1: the reset for segment {@code h}, which belongs to no connection. */
    void reply(ConnectionKey key, TcpHeader h) {
        int flags = h.flags();
        if ((flags & TcpHeader.RST) != 0) {
            return;
        }
        if ((flags & TcpHeader.ACK) != 0) {
            send(key, h.ack(), 0, false);
        } else {
            int segLen = h.dataLength() + ((flags & TcpHeader.SYN) != 0 ? 1 : 0) + ((flags & TcpHeader.FIN) != 0 ? 1 : 0);
            send(key, 0, h.seq() + segLen, true);
        }
    }

    /** Sends a bare RST (with ACK when {@code withAck}). */
    void send(ConnectionKey key, int seq, int ack, boolean withAck) {
        Route route;
        try {
            route = tcp.ctx.route(key.remoteAddress(), false);
        } catch (ErrnoException e) {
            return;
        }
        tcp.count(TcpCounter.OUT_RSTS);
        PacketBuffer b = tcp.ctx.pool().acquire(TcpHeader.MIN_LEN);
        int at = b.append(TcpHeader.MIN_LEN);
        TcpHeader.emit(b.array(), at, key.localPort(), key.remotePort(), seq, ack, TcpHeader.MIN_LEN,
                TcpHeader.RST | (withAck ? TcpHeader.ACK : 0), 0);
        TcpSender.sendStateless(tcp, key, b, new Route(route.destination(), route.nextHop(), key.localAddress(), route.iface(),
                route.mtu(), route.checksumNotNeeded(), false));
    }
}
