package netkit.tcp;

import netkit.api.ErrnoException;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.protocol.Route;
import netkit.api.stats.TcpCounter;
import netkit.api.wire.Bytes;
import netkit.api.wire.TcpHeader;
import netkit.api.wire.TcpOptions;

/**
 * Passive open: segments for a listening socket (RFC 9293 §3.10.7.2). A SYN creates a SYN_RECEIVED
 * connection while the listener's SYN queue has room, and is answered with a SYN cookie (RFC 4987
 * §3.6) beyond it; the final ACK of a cookie handshake rebuilds the connection from the cookie.
 * Connections that finish their handshake wait in the accept queue as long as the listener's
 * acceptance count allows. A SYN beyond it is refused with RST; a final ACK (plain or cookie)
 * beyond it is dropped, as Linux does with {@code tcp_abort_on_overflow} off: the client's
 * retransmission, or its answer to our SYN-ACK retransmission, completes the handshake once a slot
 * is free.
 */
final class PassiveOpen {
    private final TcpInstance tcp;
    private final SynCookies cookies;

    PassiveOpen(TcpInstance tcp, SynCookies cookies) {
        this.tcp = tcp;
        this.cookies = cookies;
    }

    /** A segment for listener {@code l} that matched no connection. */
    void segmentArrives(Listener l, ConnectionKey key, TcpHeader header, TcpOptions opts) {
        int flags = header.flags();
        if ((flags & TcpHeader.RST) != 0) {
            return;
        }
        if ((flags & TcpHeader.ACK) != 0) {
            if ((flags & TcpHeader.SYN) == 0 && tcp.settings().synCookies() && cookieAck(l, key, header)) {
                return;
            }
            tcp.resets.send(key, header.ack(), 0, false);
            return;
        }
        if ((flags & TcpHeader.SYN) == 0) {
            return;
        }
        if (!l.hasSlot()) {
            tcp.count(TcpCounter.LISTEN_OVERFLOWS);
            tcp.resets.reply(key, header); // the acceptance count is full: refuse, do not drop
            return;
        }
        Route route;
        try {
            route = tcp.ctx.route(key.remoteAddress(), false);
        } catch (ErrnoException e) {
            return;
        }
        if (l.halfOpen >= tcp.settings().synQueue()) {
            if (tcp.settings().synCookies()) {
                sendCookie(l, key, route, header, opts);
            }
            return; // without cookies a full SYN queue drops the SYN (the client retries)
        }
        TcpConnection c = TcpConnection.passiveOpen(tcp, l, key, route, header, opts);
        tcp.connections.add(c);
        l.halfOpen++;
        tcp.count(TcpCounter.PASSIVE_OPENS);
        TcpSender.sendSyn(c);
        c.rearm();
    }

    /** The SYN-ACK whose ISN is the cookie: it carries the MSS option only. */
    private void sendCookie(Listener l, ConnectionKey key, Route route, TcpHeader header, TcpOptions opts) {
        int mss = opts.mss > 0 ? opts.mss : 536;
        int cookie = cookies.encode(key, header.seq(), Math.min(mss, route.mtu() - 40), tcp.ctx.loop().nanoTime());
        tcp.count(TcpCounter.SYN_COOKIES_SENT);
        PacketBuffer b = tcp.ctx.pool().acquire(24);
        int at = b.append(24);
        byte[] a = b.array();
        TcpHeader.emit(a, at, key.localPort(), key.remotePort(), cookie, header.seq() + 1, 24,
                TcpHeader.SYN | TcpHeader.ACK, 65535);
        a[at + 20] = TcpOptions.MSS;
        a[at + 21] = 4;
        int userMss = l.socket.tcpOptions.userMss(); // TCP_MAXSEG of the listener
        Bytes.put16(a, at + 22, userMss > 0 ? Math.min(userMss, route.mtu() - 40) : route.mtu() - 40);
        TcpSender.sendStateless(tcp, key, b, route);
    }

    /** The final ACK of a cookie handshake: rebuilds the connection if the cookie is ours. */
    private boolean cookieAck(Listener l, ConnectionKey key, TcpHeader header) {
        int mss = cookies.decode(key, header.seq() - 1, header.ack() - 1, tcp.ctx.loop().nanoTime());
        if (mss < 0) {
            return false;
        }
        tcp.count(TcpCounter.SYN_COOKIES_RECV);
        if (!l.hasSlot()) {
            tcp.count(TcpCounter.LISTEN_OVERFLOWS);
            return true; // dropped: the client's next segment carries the cookie again (Linux cookie_v4_check)
        }
        Route route;
        try {
            route = tcp.ctx.route(key.remoteAddress(), false);
        } catch (ErrnoException e) {
            return true;
        }
        TcpConnection c = TcpConnection.fromCookie(tcp, l, key, route, header, mss);
        tcp.connections.add(c);
        l.halfOpen++; // balanced by established()
        tcp.count(TcpCounter.PASSIVE_OPENS);
        established(c);
        return true;
    }

    /**
     * Whether the final ACK of passive connection {@code c} (SYN_RECEIVED) may complete the
     * handshake: false, counted, when the acceptance count is full, and the caller drops the
     * segment; SYN-ACK retransmission goes on (Linux {@code tcp_abort_on_overflow} = 0).
     */
    boolean admits(TcpConnection c) {
        Listener l = c.parent;
        if (l == null || l.socket.listener() != l || l.hasSlot()) {
            return true;
        }
        tcp.count(TcpCounter.LISTEN_OVERFLOWS);
        return false;
    }

    /** A passive connection finished its handshake: queue it for accept, or refuse it when full. */
    void established(TcpConnection c) {
        Listener l = c.parent;
        if (l == null) {
            return;
        }
        l.halfOpen--;
        if (l.socket.listener() != l || !l.hasSlot()) {
            tcp.count(TcpCounter.LISTEN_OVERFLOWS);
            TcpSender.sendReset(c);
            tcp.connections.destroy(c);
            return;
        }
        c.touchKeepalive();
        l.acceptQueue.add(c);
        l.changed.signalAll();
        tcp.ctx.readinessChanged();
    }
}
