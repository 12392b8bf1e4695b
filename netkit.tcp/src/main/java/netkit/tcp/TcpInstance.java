package netkit.tcp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.protocol.IcmpError;
import netkit.api.spi.protocol.IpMeta;
import netkit.api.spi.support.PortTable;
import netkit.api.spi.protocol.ProtocolInstance;
import netkit.api.spi.protocol.ProtocolSocket;
import netkit.api.spi.protocol.Route;
import netkit.api.spi.protocol.SocketOptions;
import netkit.api.spi.protocol.StackContext;
import netkit.api.stats.CounterSet;
import netkit.api.stats.CounterSnapshot;
import netkit.api.stats.TcpCounter;
import netkit.api.wire.Bytes;
import netkit.api.wire.TcpHeader;
import netkit.api.wire.TcpOptions;

/**
 * TCP on one stack: the connection table (one hash lookup per segment), listeners, RSTs for
 * segments that belong to nothing (RFC 9293 §3.10.7.1), ISNs (RFC 6528), SYN cookies (RFC 4987),
 * the challenge-ACK rate limit (RFC 5961 §7), ICMP errors (RFC 1122 §4.2.3.9, RFC 5927) and
 * counters (RFC 4022 names).
 */
final class TcpInstance implements ProtocolInstance {
    final StackContext ctx;
    final PortTable<TcpSocket> ports;
    private final TcpProtocol protocol;
    private final Map<ConnectionKey, TcpConnection> connections = new HashMap<>();
    private final Map<Integer, Integer> timeWaitPorts = new HashMap<>();
    private final List<TcpSocket> sockets = new ArrayList<>();
    private final TcpHeader header = new TcpHeader();
    private final TcpOptions opts = new TcpOptions();
    private final SynCookies cookies;
    private final IsnGenerator isns;
    private long challengeWindowStart;
    private int challengeAcksInWindow;
    private boolean detached;
    private final CounterSet<TcpCounter> counters = new CounterSet<>(TcpCounter.class);
    private final MemoryAccount memory;

    TcpInstance(StackContext ctx, TcpProtocol protocol) {
        this.ctx = ctx;
        this.protocol = protocol;
        this.ports = new PortTable<>(ctx::isLocalAddress, ctx.secureRandom());
        this.cookies = new SynCookies(new KeyedHash(ctx.secureRandom()));
        this.isns = new IsnGenerator(new KeyedHash(ctx.secureRandom()));
        this.memory = new MemoryAccount(protocol.settings().memoryLimit());
    }

    TcpSettings settings() {
        return protocol.settings();
    }

    MemoryAccount memory() {
        return memory;
    }

    boolean underMemoryPressure() {
        memory.limit(settings().memoryLimit());
        return memory.underPressure();
    }

    void count(TcpCounter counter) {
        counters.inc(counter);
    }

    void pawsRejected() {
        count(TcpCounter.PAWS_REJECTED);
    }

    void fastRetransmitted() {
        count(TcpCounter.FAST_RETRANSMITS);
    }

    @Override
    public ProtocolSocket open(SocketOptions options) throws ErrnoException {
        ctx.lock().lock();
        try {
            if (detached) {
                throw new ErrnoException(Errno.ENETDOWN);
            }
            TcpSocket s = new TcpSocket(this, options);
            sockets.add(s);
            return s;
        } finally {
            ctx.lock().unlock();
        }
    }

    void forget(TcpSocket s) {
        sockets.remove(s);
    }

    // ---- receive ----------------------------------------------------------------------------

    @Override
    public void receive(PacketBuffer packet, IpMeta ip) {
        boolean kept = false;
        try {
            count(TcpCounter.IN_SEGS);
            byte[] a = packet.array();
            int at = packet.offset();
            int len = packet.length();
            if (!header.wrap(a, at, len) || !opts.parse(a, header.optionsOffset(), header.optionsLength())) {
                count(TcpCounter.IN_ERRS);
                return;
            }
            if (!ip.checksumNotNeeded() && !TcpHeader.verify(a, at, len, ip.source(), ip.destination())) {
                count(TcpCounter.IN_CSUM_ERRORS);
                count(TcpCounter.IN_ERRS);
                return;
            }
            if (ip.broadcast()) {
                return; // TCP never answers broadcasts (RFC 1122 §4.2.3.10)
            }
            ConnectionKey key = new ConnectionKey(ip.destination(), header.destinationPort(), ip.source(),
                    header.sourcePort());
            TcpConnection c = connections.get(key);
            if (c != null && c.state == TcpState.TIME_WAIT && (header.flags() & TcpHeader.SYN) != 0
                    && (header.flags() & TcpHeader.ACK) == 0 && newIncarnation(c, header, opts)) {
                destroy(c); // RFC 6191: a new SYN may reuse a TIME_WAIT 4-tuple
                c = null;
            }
            if (c != null) {
                kept = TcpInput.segmentArrives(c, packet, header, opts); // data may stay in the packet
                return;
            }
            TcpSocket owner = ports.lookup(ip.destination(), header.destinationPort());
            if (owner != null && owner.listener() != null) {
                listenInput(owner.listener(), key, a, ip);
                return;
            }
            replyReset(key, header);
        } finally {
            if (!kept) {
                packet.release();
            }
        }
    }

    private static boolean newIncarnation(TcpConnection tw, TcpHeader h, TcpOptions o) {
        long seq = tw.extendRcv(h.seq());
        return seq > tw.rcvNxt || tw.tsOk && o.hasTimestamps && o.tsVal - tw.tsRecent > 0;
    }

    /** A segment for a listener (RFC 9293 §3.10.7.2). */
    private void listenInput(Listener l, ConnectionKey key, byte[] a, IpMeta ip) {
        int flags = header.flags();
        if ((flags & TcpHeader.RST) != 0) {
            return;
        }
        if ((flags & TcpHeader.ACK) != 0) {
            if ((flags & TcpHeader.SYN) == 0 && settings().synCookies() && cookieAck(l, key)) {
                return;
            }
            sendReset(key, header.ack(), 0, false);
            return;
        }
        if ((flags & TcpHeader.SYN) == 0) {
            return;
        }
        if (!l.hasSlot()) {
            count(TcpCounter.LISTEN_OVERFLOWS);
            replyReset(key, header); // the acceptance count is full: refuse, do not drop
            return;
        }
        Route route;
        try {
            route = ctx.route(key.remoteAddress(), false);
        } catch (ErrnoException e) {
            return;
        }
        if (l.halfOpen >= settings().synQueue()) {
            if (settings().synCookies()) {
                sendCookie(key, route);
            }
            return; // without cookies a full SYN queue drops the SYN (the client retries)
        }
        SocketOptions childOptions = new SocketOptions();
        childOptions.copyFrom(l.options);
        TcpConnection c = new TcpConnection(this, key, childOptions);
        c.parent = l;
        c.route = route;
        c.irs = header.seq() & 0xffffffffL;
        c.rcvNxt = c.irs + 1;
        c.rcvAdvEdge = c.rcvNxt;
        c.lastAckSent = c.rcvNxt;
        c.rcvWscale = c.chooseWindowScale();
        TcpInput.negotiate(c, opts, true);
        c.sndWnd = header.window();
        c.maxSndWnd = c.sndWnd;
        c.sndWl1 = c.irs;
        c.iss = isn(key);
        c.sndUna = c.iss;
        c.sndNxt = c.iss;
        c.sndMax = c.iss;
        c.sndWl2 = c.iss;
        c.state = TcpState.SYN_RECEIVED;
        connections.put(key, c);
        l.halfOpen++;
        count(TcpCounter.PASSIVE_OPENS);
        TcpSender.sendSyn(c);
        c.rearm();
    }

    private void sendCookie(ConnectionKey key, Route route) {
        int mss = opts.mss > 0 ? opts.mss : 536;
        int cookie = cookies.encode(key, header.seq(), Math.min(mss, route.mtu() - 40), ctx.loop().nanoTime());
        count(TcpCounter.SYN_COOKIES_SENT);
        PacketBuffer b = ctx.pool().acquire(24);
        int at = b.append(24);
        byte[] a = b.array();
        TcpHeader.emit(a, at, key.localPort(), key.remotePort(), cookie, header.seq() + 1, 24,
                TcpHeader.SYN | TcpHeader.ACK, 65535);
        a[at + 20] = TcpOptions.MSS;
        a[at + 21] = 4;
        Bytes.put16(a, at + 22, route.mtu() - 40);
        send(key, b, route);
    }

    /** The final ACK of a cookie handshake: rebuild the connection if the cookie is ours. */
    private boolean cookieAck(Listener l, ConnectionKey key) {
        int mss = cookies.decode(key, header.seq() - 1, header.ack() - 1, ctx.loop().nanoTime());
        if (mss < 0) {
            return false;
        }
        count(TcpCounter.SYN_COOKIES_RECV);
        if (!l.hasSlot()) {
            count(TcpCounter.LISTEN_OVERFLOWS);
            sendReset(key, header.ack(), 0, false);
            return true;
        }
        SocketOptions childOptions = new SocketOptions();
        childOptions.copyFrom(l.options);
        TcpConnection c = new TcpConnection(this, key, childOptions);
        try {
            c.route = ctx.route(key.remoteAddress(), false);
        } catch (ErrnoException e) {
            return true;
        }
        c.parent = l;
        c.iss = (header.ack() - 1) & 0xffffffffL;
        c.sndUna = c.iss + 1;
        c.sndNxt = c.sndUna;
        c.sndMax = c.sndUna;
        c.irs = (header.seq() - 1) & 0xffffffffL;
        c.rcvNxt = c.irs + 1;
        c.rcvAdvEdge = c.rcvNxt + 65535;
        c.lastAckSent = c.rcvNxt;
        c.peerMss = mss;
        c.computeMss();
        c.cc = netkit.tcp.cc.CongestionControl.create(settings().congestionControl(), c.mss);
        c.sndWnd = header.window();
        c.maxSndWnd = c.sndWnd;
        c.sndWl1 = c.irs + 1;
        c.sndWl2 = c.sndUna;
        c.state = TcpState.ESTABLISHED;
        connections.put(key, c);
        l.halfOpen++; // balanced by established()
        count(TcpCounter.PASSIVE_OPENS);
        established(c);
        return true;
    }

    /** A passive connection finished its handshake: queue it for accept, or refuse it when full. */
    void established(TcpConnection c) {
        Listener l = c.parent;
        if (l == null) {
            return;
        }
        l.halfOpen--;
        if (l.socket.listener() != l || !l.hasSlot()) {
            count(TcpCounter.LISTEN_OVERFLOWS);
            TcpSender.sendReset(c);
            destroy(c);
            return;
        }
        c.touchKeepalive();
        l.acceptQueue.add(c);
        l.changed.signalAll();
        ctx.readinessChanged();
    }

    // ---- send -------------------------------------------------------------------------------

    void transmit(TcpConnection c, PacketBuffer b) {
        count(TcpCounter.OUT_SEGS);
        try {
            ctx.output(b, c.route, Net.IPPROTO_TCP, c.options.ttl(), c.options.tos(), true);
        } catch (ErrnoException e) {
            TcpSender.outputFailed(c, e);
        }
    }

    private void send(ConnectionKey key, PacketBuffer b, Route route) {
        count(TcpCounter.OUT_SEGS);
        if (!route.checksumNotNeeded()) {
            TcpHeader.checksum(b.array(), b.offset(), b.length(), key.localAddress(), key.remoteAddress());
        }
        try {
            ctx.output(b, route, Net.IPPROTO_TCP, 64, 0, true);
        } catch (ErrnoException e) {
            // nothing to tell: a reply that cannot leave is simply lost
        }
    }

    /** RFC 9293 §3.10.7.1: the reset for a segment that belongs to no connection. */
    private void replyReset(ConnectionKey key, TcpHeader h) {
        int flags = h.flags();
        if ((flags & TcpHeader.RST) != 0) {
            return;
        }
        if ((flags & TcpHeader.ACK) != 0) {
            sendReset(key, h.ack(), 0, false);
        } else {
            int segLen = h.dataLength() + ((flags & TcpHeader.SYN) != 0 ? 1 : 0) + ((flags & TcpHeader.FIN) != 0 ? 1 : 0);
            sendReset(key, 0, h.seq() + segLen, true);
        }
    }

    /** Sends a bare RST (with ACK when {@code withAck}). */
    void sendReset(ConnectionKey key, int seq, int ack, boolean withAck) {
        Route route;
        try {
            route = ctx.route(key.remoteAddress(), false);
        } catch (ErrnoException e) {
            return;
        }
        count(TcpCounter.OUT_RSTS);
        PacketBuffer b = ctx.pool().acquire(TcpHeader.MIN_LEN);
        int at = b.append(TcpHeader.MIN_LEN);
        TcpHeader.emit(b.array(), at, key.localPort(), key.remotePort(), seq, ack, TcpHeader.MIN_LEN,
                TcpHeader.RST | (withAck ? TcpHeader.ACK : 0), 0);
        send(key, b, new Route(route.destination(), route.nextHop(), key.localAddress(), route.iface(), route.mtu(),
                route.checksumNotNeeded(), false));
    }

    /** RFC 5961 §3.2, §4.2, §5.2 challenge ACK, at most {@code challengeAcksPerSecond} per second. */
    void challengeAck(TcpConnection c) {
        long now = ctx.loop().nanoTime();
        if (now - challengeWindowStart >= 1_000_000_000L) {
            challengeWindowStart = now;
            challengeAcksInWindow = 0;
        }
        if (challengeAcksInWindow >= settings().challengeAcksPerSecond()) {
            count(TcpCounter.CHALLENGE_ACKS_LIMITED);
            return;
        }
        challengeAcksInWindow++;
        count(TcpCounter.CHALLENGE_ACKS);
        TcpSender.sendAck(c);
    }

    // ---- connections ------------------------------------------------------------------------

    int isn(ConnectionKey key) {
        return isns.isn(key, ctx.loop().nanoTime());
    }

    boolean hasConnection(ConnectionKey key) {
        return connections.containsKey(key);
    }

    void add(TcpConnection c) {
        connections.put(c.key, c);
    }

    void timeWaitStarted(TcpConnection c) {
        timeWaitPorts.merge(c.key.localPort(), 1, Integer::sum);
    }

    /** Whether a TIME_WAIT connection holds {@code port} (bind needs SO_REUSEADDR then). */
    boolean portInTimeWait(int port) {
        return timeWaitPorts.containsKey(port);
    }

    /** The connection is gone (CLOSED): timers off, out of the table, its waiters woken. */
    void destroy(TcpConnection c) {
        if (connections.get(c.key) == c) {
            connections.remove(c.key);
        }
        if (c.state == TcpState.TIME_WAIT) {
            timeWaitPorts.computeIfPresent(c.key.localPort(), (p, n) -> n > 1 ? n - 1 : null);
        }
        if (c.state.synchronizedState() && c.state != TcpState.TIME_WAIT && c.error != null) {
            count(TcpCounter.ESTAB_RESETS);
        }
        if (c.state == TcpState.SYN_SENT && c.error != null) {
            count(TcpCounter.ATTEMPT_FAILS);
        }
        if (c.state == TcpState.SYN_RECEIVED && c.parent != null) {
            c.parent.halfOpen--;
        }
        if (c.parent != null) {
            c.parent.acceptQueue.remove(c);
        }
        c.cancelTimers();
        c.state(TcpState.CLOSED);
        c.sendBuf.clear();
        if (c.socket == null || c.orphan) {
            c.recvBuf.clear(); // nobody will read it: give the packet buffers back
        }
        if (c.socket != null) {
            c.socket.connectionClosed();
        }
    }

    void autoTune(TcpConnection c, long bytes) {
        if (c.options.receiveBufferSet() || bytes <= 0) {
            return;
        }
        // Receive-buffer moderation: when a round trip fills more than half the buffer, double it.
        long now = c.now();
        long rtt = Math.max(c.rtt.srtt(), 1_000_000L);
        c.autoTuneBytes += bytes;
        if (now - c.autoTuneStart >= rtt) {
            if (c.autoTuneBytes * 2 > c.recvBuf.capacity() && c.recvBuf.capacity() < settings().maxReceiveBuffer()
                    && !underMemoryPressure()) {
                c.recvBuf.capacity(Math.min(settings().maxReceiveBuffer(), c.recvBuf.capacity() * 2));
            }
            c.autoTuneStart = now;
            c.autoTuneBytes = 0;
        }
    }

    boolean noDelay(TcpConnection c) {
        return c.socket != null && c.socket.tcpOptions.noDelay;
    }

    int keepIdleSeconds(TcpConnection c) {
        return c.socket != null && c.socket.tcpOptions.keepIdle > 0 ? c.socket.tcpOptions.keepIdle : settings().keepIdleSeconds();
    }

    int keepIntervalSeconds(TcpConnection c) {
        return c.socket != null && c.socket.tcpOptions.keepInterval > 0 ? c.socket.tcpOptions.keepInterval : settings().keepIntervalSeconds();
    }

    int keepCount(TcpConnection c) {
        return c.socket != null && c.socket.tcpOptions.keepCount > 0 ? c.socket.tcpOptions.keepCount : settings().keepCount();
    }

    @Override
    public void icmpError(IcmpError e) {
        if (e.quotedTransportLength() < 8) {
            return;
        }
        byte[] q = e.quote();
        int at = e.quotedTransportOffset();
        ConnectionKey key = new ConnectionKey(e.quotedSource(), Bytes.get16(q, at), e.quotedDestination(),
                Bytes.get16(q, at + 2));
        TcpConnection c = connections.get(key);
        if (c == null) {
            return;
        }
        long seq = c.extendSnd(Bytes.get32(q, at + 4));
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
        if (c.state == TcpState.SYN_SENT && e.hard()) {
            c.fail(e.errno() == Errno.ENOPROTOOPT ? Errno.ECONNREFUSED : e.errno());
            return;
        }
        c.softError = e.errno(); // RFC 1122 §4.2.3.9: soft errors are reported if the connection times out
    }

    @Override
    public void detach() {
        detached = true;
        for (TcpConnection c : new ArrayList<>(connections.values())) {
            c.error = Errno.ENETDOWN;
            destroy(c);
        }
        for (TcpSocket s : new ArrayList<>(sockets)) {
            s.detach();
        }
        sockets.clear();
    }

    @Override
    public Optional<CounterSnapshot<?>> counters() {
        long established = connections.values().stream()
                .filter(c -> c.state == TcpState.ESTABLISHED || c.state == TcpState.CLOSE_WAIT).count();
        return Optional.of(counters.snapshot().with(TcpCounter.MEMORY_BYTES, memory.used())
                .with(TcpCounter.CURR_ESTAB, established));
    }
}
