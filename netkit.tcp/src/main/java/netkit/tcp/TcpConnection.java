package netkit.tcp;

import java.util.concurrent.locks.Condition;
import netkit.api.Errno;
import netkit.api.SockAddr;
import netkit.api.TcpInfo;
import netkit.api.spi.protocol.Route;
import netkit.api.spi.protocol.SocketOptions;
import netkit.api.stats.TcpCounter;
import netkit.api.wire.TcpHeader;
import netkit.api.wire.TcpOptions;
import netkit.tcp.cc.CongestionControl;

/**
 * One connection's TCB (RFC 9293 §3.3.1) and its timers. Sequence numbers are held 64-bit
 * extended (the 32-bit wire values are unwrapped around SND.UNA and RCV.NXT), so comparisons never
 * wrap; ISS and IRS start unsigned, in [0, 2^32), so sequence numbers stay non-negative and -1 can
 * mean "none" (rttSeq, finSeq). A connection is made by one of three factories: {@link #activeOpen}, {@link #passiveOpen}
 * and {@link #fromCookie}. Segment arrival is {@link TcpInput}'s, transmission {@link TcpSender}'s.
 * Everything runs under the stack lock.
 */
final class TcpConnection {
    /**
     * The floor of the sender's MSS before options: Linux's {@code tcp_min_snd_mss} (48, since the
     * fix of CVE-2019-11479), room for the full 40 bytes of TCP options and 8 bytes of data. A
     * smaller MSS option (RFC 9293 §3.7.1) or path MTU is raised to it.
     */
    static final int MIN_SND_MSS = 48;
    final TcpInstance tcp;
    final ConnectionKey key;
    /** The socket's options (IP_TTL, IP_TOS, SO_KEEPALIVE...); an accepted socket's replace the listener's copy. */
    SocketOptions options;
    final Condition changed;
    TcpState state = TcpState.CLOSED;
    Route route;

    // Send sequence space (RFC 9293 §3.3.1), extended.
    long iss;
    long sndUna;
    long sndNxt;
    long sndMax;
    long sndWnd;
    long maxSndWnd;
    long sndWl1;
    long sndWl2;
    final SendBuffer sendBuf;
    boolean finQueued;
    long finSeq = -1;
    /** SND.UP: the sequence number after the last urgent byte sent with MSG_OOB (RFC 6093), -1 when none. */
    long sndUp = -1;
    // Receive sequence space.
    long irs;
    long rcvNxt;
    long rcvAdvEdge;
    final ReceiveBuffer recvBuf;
    boolean finReceived;
    long outOfOrderFin = -1;
    /** The last urgent byte announced by the peer (Linux {@code urg_seq}), -1 before any; see {@link Urgent}. */
    long urgSeq = -1;
    /** Linux's {@code urg_data}: 0, {@link Urgent#NOTYET}, {@link Urgent#VALID} with the byte, {@link Urgent#READ}. */
    int urgData;
    // Negotiated options.
    int mss = 536;
    int peerMss = 536;
    /** TCP_MAXSEG set before the handshake (Linux's user MSS), 0 when none: announced and obeyed. */
    int userMss;
    int sndWscale;
    int rcvWscale;
    boolean wsOk;
    boolean tsOk;
    boolean sackOk;
    int tsRecent;
    long lastAckSent;
    final int tsOffset;
    // Loss recovery and congestion control, chosen when the SYN options are known.
    CongestionControl cc;
    LossRecovery recovery;
    /** The undo state of the last reduction episode (RFC 3522, RFC 3708, RFC 4015). */
    final Undo undo = new Undo();
    final RttEstimator rtt;
    long rttSeq = -1;
    long rttStart;
    /** Whether timestamp echoes are sampled: only while no segment is timed after a retransmission. */
    boolean echoSamples = true;
    int retransmits;
    /** When new data was last sent (loop nanos), 0 before any: restart after idle (RFC 5681 §4.1). */
    long lastDataSentAt;
    /** When the oldest unacknowledged segment (or the SYN) was first sent, once it timed out; NONE when none. */
    long unackedSince = NONE;
    /** "No time" for {@link #unackedSince} (loop times start at 0). */
    static final long NONE = Long.MIN_VALUE;
    long retransmittedSegments;
    // Statistics for TcpInfo (Linux's tcp_info): segments and data bytes each way.
    long segsOut;
    long segsIn;
    long dataSegsOut;
    long dataSegsIn;
    long bytesSent;
    long bytesRetrans;
    /** When data last arrived, an acceptable ACK last arrived (loop nanos); NONE before any. */
    long lastDataReceivedAt = NONE;
    long lastAckReceivedAt = NONE;
    // ACK policy.
    int unackedSegments;
    boolean ackNow;
    // Timers: absolute loop nanos, 0 = off, behind one loop timer (ConnectionTimer).
    long rtoAt;
    long delackAt;
    long persistAt;
    long keepaliveAt;
    long timeWaitAt;
    long finWait2At;
    long lossTimerAt; // RACK's reordering timer or the tail loss probe (RFC 8985), the LossRecovery's
    int persistBackoff;
    /** The SWS override timeout fired: one window-limited small segment may go (RFC 9293 §3.8.6.2.1). */
    boolean swsOverride;
    /**
     * Zero-window probes (persist probes, or retransmissions while the peer's window is closed)
     * since the peer last sent an acceptable ACK: only these count toward giving up (MUST-37).
     */
    int probesOut;
    /** Zero-window probes since the peer's window was last open, answered or not (orphan limit). */
    int zeroWindowProbes;
    final ChallengeAcks challengeAcks = new ChallengeAcks();
    long lastInvalidAckAt = Long.MIN_VALUE; // the last duplicate ACK for an invalid segment (rate limit)
    int keepaliveProbes;
    private final ConnectionTimer timer = new ConnectionTimer(this);
    // Application side.
    Errno error;
    Errno softError;
    boolean readShut;
    boolean orphan;
    Listener parent;
    TcpSocket socket;
    final ReceiveBufferTuning receiveBufferTuning = new ReceiveBufferTuning();

    private TcpConnection(TcpInstance tcp, ConnectionKey key, SocketOptions options, Route route) {
        this.tcp = tcp;
        this.key = key;
        this.options = options;
        this.route = fromLocal(route, key);
        this.changed = tcp.ctx.lock().newCondition();
        this.sendBuf = new SendBuffer(options.sendBuffer(), tcp.sendRings());
        this.recvBuf = new ReceiveBuffer(options.receiveBufferSet() ? options.receiveBuffer()
                : Math.min(128 * 1024, tcp.settings().maxReceiveBuffer()), tcp.memory(), tcp.receiveRings());
        this.rtt = new RttEstimator(tcp.settings());
        this.tsOffset = tcp.tsOffset(key); // RFC 7323 §5.4
    }

    /**
     * {@code route} with the connection's local address as its source: the IP source address must be
     * the one in the TCP pseudo-header (RFC 9293 MUST-43/45), also when the socket is bound to another
     * interface's address or the segment leaves by another interface than the one it came to.
     */
    static Route fromLocal(Route route, ConnectionKey key) {
        if (route == null || route.source() == key.localAddress()) {
            return route;
        }
        return new Route(route.destination(), route.nextHop(), key.localAddress(), route.iface(), route.mtu(),
                route.checksumNotNeeded(), route.broadcast());
    }

    /** Active open (RFC 9293 §3.10.4): a connection in SYN_SENT for {@code socket}, its SYN not yet sent. */
    static TcpConnection activeOpen(TcpInstance tcp, ConnectionKey key, SocketOptions options, Route route,
            TcpSocket socket) {
        TcpConnection c = new TcpConnection(tcp, key, options, route);
        c.socket = socket;
        c.userMss = socket.tcpOptions.userMss();
        c.iss = tcp.isn(key) & 0xffffffffL; // unsigned: -1 marks "none" in rttSeq, finSeq
        c.sndUna = c.iss;
        c.sndNxt = c.iss;
        c.sndMax = c.iss;
        c.rcvWscale = c.chooseWindowScale();
        c.computeMss();
        c.rttStart = c.now();
        c.state = TcpState.SYN_SENT;
        return c;
    }

    /**
     * Starts the send sequence space at {@code iss} instead of the RFC 6528 ISN: a connection that
     * takes over a TIME_WAIT 4-tuple starts above everything the old incarnation sent. Before the SYN.
     */
    void startAt(long iss) {
        this.iss = iss;
        sndUna = iss;
        sndNxt = iss;
        sndMax = iss;
    }

    /** Passive open (RFC 9293 §3.10.7.2): a connection in SYN_RECEIVED for listener {@code l}'s {@code syn}. */
    static TcpConnection passiveOpen(TcpInstance tcp, Listener l, ConnectionKey key, Route route, TcpHeader syn,
            TcpOptions synOptions) {
        TcpConnection c = new TcpConnection(tcp, key, l.childOptions(), route);
        c.parent = l;
        c.userMss = l.socket.tcpOptions.userMss();
        c.irs = syn.seq() & 0xffffffffL;
        c.rcvNxt = c.irs + 1;
        c.rcvAdvEdge = c.rcvNxt;
        c.lastAckSent = c.rcvNxt;
        c.rcvWscale = c.chooseWindowScale();
        c.negotiate(synOptions);
        c.sndWnd = syn.window();
        c.maxSndWnd = c.sndWnd;
        c.sndWl1 = c.irs;
        c.iss = tcp.isn(key) & 0xffffffffL; // unsigned: -1 marks "none" in rttSeq, finSeq
        c.sndUna = c.iss;
        c.sndNxt = c.iss;
        c.sndMax = c.iss;
        c.sndWl2 = c.iss;
        c.state = TcpState.SYN_RECEIVED;
        c.segsIn = 1; // the SYN
        return c;
    }

    /**
     * An ESTABLISHED connection rebuilt from the final ACK of a SYN cookie handshake (RFC 4987 §3.6):
     * the ISN was the cookie, the MSS its encoded value; window scale, SACK and timestamps are off.
     */
    static TcpConnection fromCookie(TcpInstance tcp, Listener l, ConnectionKey key, Route route, TcpHeader ack,
            int mss) {
        TcpConnection c = new TcpConnection(tcp, key, l.childOptions(), route);
        c.parent = l;
        c.userMss = l.socket.tcpOptions.userMss();
        c.iss = (ack.ack() - 1) & 0xffffffffL;
        c.sndUna = c.iss + 1;
        c.sndNxt = c.sndUna;
        c.sndMax = c.sndUna;
        c.irs = (ack.seq() - 1) & 0xffffffffL;
        c.rcvNxt = c.irs + 1;
        c.rcvAdvEdge = c.rcvNxt + 65535;
        c.lastAckSent = c.rcvNxt;
        c.peerMss = mss;
        c.computeMss();
        c.cc = CongestionControl.create(tcp.settings().congestionControl(), c.mss, tcp::hyStartExit);
        c.recovery = LossRecovery.create(false, tcp.segmentRecords());
        c.sndWnd = ack.window();
        c.maxSndWnd = c.sndWnd;
        c.sndWl1 = c.irs + 1;
        c.sndWl2 = c.sndUna;
        c.state = TcpState.ESTABLISHED;
        SendBufferTuning.established(c);
        c.segsIn = 1; // the final ACK
        c.lastAckReceivedAt = c.now();
        return c;
    }

    /**
     * Takes the options of the peer's SYN (RFC 9293 §3.7.1, RFC 7323, RFC 2018) and, with the MSS
     * now known, chooses congestion control and loss recovery (SACK-based only when both offered it).
     */
    void negotiate(TcpOptions o) {
        peerMss = o.mss > 0 ? Math.max(MIN_SND_MSS, o.mss) : 536;
        wsOk = o.windowScale >= 0;
        sndWscale = wsOk ? o.windowScale : 0;
        if (!wsOk) {
            rcvWscale = 0;
        }
        sackOk = o.sackPermitted;
        tsOk = o.hasTimestamps;
        if (tsOk) {
            tsRecent = o.tsVal;
        }
        computeMss();
        cc = CongestionControl.create(tcp.settings().congestionControl(), mss, tcp::hyStartExit);
        recovery = LossRecovery.create(sackOk, tcp.segmentRecords());
    }

    SockAddr local() {
        return SockAddr.of(key.localAddress(), key.localPort());
    }

    SockAddr remote() {
        return SockAddr.of(key.remoteAddress(), key.remotePort());
    }

    long now() {
        return tcp.ctx.loop().nanoTime();
    }

    /** Our timestamp clock: milliseconds with the 4-tuple's secret offset (RFC 7323 §5.4). */
    int tsNow() {
        return (int) (now() / 1_000_000L) + tsOffset;
    }

    /**
     * Whether the duplicate ACK owed for an out-of-window or PAWS-failed segment of {@code segLen}
     * (SYN included) must be skipped, counting it as {@code skipped}: like Linux's
     * {@code tcp_oow_rate_limited}, segments without data (or with a SYN) are answered once per
     * {@link TcpSettings#invalidRatelimitMillis()}, so a spoofed segment cannot set two ends off
     * into an endless exchange of ACKs (RFC 5961 §10, RFC 7323 §5.3); data is always answered.
     */
    boolean invalidAckLimited(long segLen, boolean syn, TcpCounter skipped) {
        if (segLen > 0 && !syn) {
            return false;
        }
        long now = now();
        long interval = tcp.settings().invalidRatelimitMillis() * 1_000_000L;
        if (lastInvalidAckAt != Long.MIN_VALUE && now - lastInvalidAckAt < interval) {
            tcp.count(skipped);
            return true;
        }
        lastInvalidAckAt = now;
        return false;
    }

    /** Unwraps a received sequence number around RCV.NXT. */
    long extendRcv(int seq) {
        return rcvNxt + (int) (seq - (int) rcvNxt);
    }

    /** Unwraps a received acknowledgment number around SND.UNA. */
    long extendSnd(int ack) {
        return sndUna + (int) (ack - (int) sndUna);
    }

    /** The end of queued data; once the FIN is queued, the FIN's own sequence number. */
    long sendEnd() {
        return finQueued ? finSeq : sndUna + sendBuf.size();
    }

    /** Queues our FIN after all data written so far (no more data may follow). */
    void queueFin() {
        finSeq = sndUna + sendBuf.size();
        finQueued = true;
    }

    /** Whether the handshake ever completed: the peer acknowledged our SYN. */
    boolean synchronizedOnce() {
        return sndUna > iss;
    }

    /** Whether our FIN has been sent. */
    boolean finSent() {
        return finQueued && sndMax > finSeq;
    }

    /** Whether our FIN has been acknowledged. */
    boolean finAcked() {
        return finQueued && sndUna > finSeq;
    }

    /**
     * Sets the MSS from the route MTU and the peer's MSS option (RFC 9293 §3.7.1, RFC 6691), minus
     * the timestamps option, like Linux's {@code tcp_mtu_to_mss}.
     */
    void computeMss() {
        mss = maxSegment() - (tsOk ? 12 : 0);
    }

    /**
     * Data and options a segment may carry: the smaller of the peer's MSS and the route's, never
     * below {@link #MIN_SND_MSS}, so at least 8 bytes of data fit after any options.
     */
    int maxSegment() {
        int fromRoute = (route == null ? 1500 : route.mtu()) - 40;
        int limit = userMss > 0 ? Math.min(userMss, fromRoute) : fromRoute;
        return Math.max(MIN_SND_MSS, Math.min(peerMss, limit));
    }

    /**
     * The MSS we announce: the route MTU minus the IP and TCP headers, or TCP_MAXSEG when set and
     * smaller (Linux's user MSS).
     */
    int announcedMss() {
        int fromRoute = Math.max(536, Math.min(65495, (route == null ? 1500 : route.mtu()) - 40));
        return userMss > 0 ? Math.min(userMss, fromRoute) : fromRoute;
    }

    /** Window scale we offer for the receive buffer's ceiling (RFC 7323 §2.3). */
    int chooseWindowScale() {
        int ceiling = options.receiveBufferSet() ? options.receiveBuffer() : tcp.settings().maxReceiveBuffer();
        int shift = 0;
        while (shift < 14 && (65535L << shift) < ceiling) {
            shift++;
        }
        return shift;
    }

    /** Counts one retransmitted segment, here and in the stack's RetransSegs. */
    void countRetransmit() {
        // Karn (RFC 6298 §3): once anything was resent the timed segment's ACK is ambiguous; the
        // timestamp echo (unambiguous, RFC 7323 §4) samples until new data is timed again.
        rttSeq = -1;
        echoSamples = true;
        retransmittedSegments++;
        tcp.count(TcpCounter.RETRANS_SEGS);
    }

    void state(TcpState s) {
        if (orphan) {
            tcp.orphans.stateChanged(state, s);
        }
        state = s;
        changed.signalAll();
        readinessChanged();
    }

    void wake() {
        changed.signalAll();
        readinessChanged();
    }

    /**
     * Tells the stack this connection's readiness may have changed, which wakes every accept and
     * select waiting on the stack; not for an orphan, which no socket, select or listener sees any
     * more (a server that closes first would otherwise wake its blocked accept at each of the closed
     * connection's FIN_WAIT_2 and TIME_WAIT transitions). A lingering close waits on {@link #changed}.
     */
    private void readinessChanged() {
        if (!orphan) {
            tcp.ctx.readinessChanged();
        }
    }

    /**
     * An ACK freed send buffer space; {@code freeBefore} was the room before it. A writer blocked on
     * a full buffer is woken only once a third of it is free (or it is empty), as Linux's
     * {@code sk_stream_write_space} wakes it when the free space reaches half of what is queued:
     * waking it on every ACK cost a thread switch and a turn of the stack lock per ACK (every
     * second segment) for a few kilobytes each time. Readiness (select, NIO) is told when the
     * buffer stops being full, the only change an ACK makes to it.
     */
    void sendSpaceFreed(int freeBefore) {
        int free = sendBuf.free();
        if (free > 0 && (3L * free >= sendBuf.capacity() || sendBuf.size() == 0)) {
            changed.signalAll();
        }
        if (freeBefore == 0 && free > 0) {
            readinessChanged();
        }
    }

    // ---- timers -----------------------------------------------------------------------------

    /** Schedules the connection's timer for its earliest deadline. */
    void rearm() {
        timer.rearm();
    }

    /** Restarts the keepalive idle timer (any segment received counts as activity). */
    void touchKeepalive() {
        keepaliveProbes = 0;
        keepaliveAt = options.keepAlive() && state.synchronizedState() && state != TcpState.TIME_WAIT
                ? now() + keepIdleNanos() : 0;
    }

    long keepIdleNanos() {
        return keepIdleSeconds() * 1_000_000_000L;
    }

    // ---- socket options, else the stack's settings --------------------------------------------

    /** The TCP options of the socket, before accept those of the listener (Linux inherits them), or null. */
    private TcpSocketOptions tcpOptions() {
        return socket != null ? socket.tcpOptions : parent != null ? parent.socket.tcpOptions : null;
    }

    boolean noDelay() {
        TcpSocketOptions o = tcpOptions();
        return o != null && o.noDelay;
    }

    int keepIdleSeconds() {
        TcpSocketOptions o = tcpOptions();
        return o != null && o.keepIdle > 0 ? o.keepIdle : tcp.settings().keepIdleSeconds();
    }

    int keepIntervalSeconds() {
        TcpSocketOptions o = tcpOptions();
        return o != null && o.keepInterval > 0 ? o.keepInterval : tcp.settings().keepIntervalSeconds();
    }

    /** TCP_USER_TIMEOUT in nanoseconds, 0 when off. */
    long userTimeoutNanos() {
        TcpSocketOptions o = tcpOptions();
        return o == null ? 0 : o.userTimeout * 1_000_000L;
    }

    int keepCount() {
        TcpSocketOptions o = tcpOptions();
        return o != null && o.keepCount > 0 ? o.keepCount : tcp.settings().keepCount();
    }

    void cancelTimers() {
        rtoAt = 0;
        delackAt = 0;
        persistAt = 0;
        keepaliveAt = 0;
        timeWaitAt = 0;
        finWait2At = 0;
        lossTimerAt = 0;
        timer.cancel();
    }

    /** Enters TIME_WAIT (or restarts it): 2·MSL, then the connection is gone. */
    void enterTimeWait() {
        if (state != TcpState.TIME_WAIT) {
            tcp.connections.timeWaitStarted(this);
        }
        state(TcpState.TIME_WAIT);
        rtoAt = 0;
        persistAt = 0;
        keepaliveAt = 0;
        finWait2At = 0;
        delackAt = 0;
        lossTimerAt = 0;
        timeWaitAt = now() + 2 * tcp.settings().mslMillis() * 1_000_000L;
        rearm();
    }

    /** The connection failed or was reset: remember why, wake everybody, forget it. */
    void fail(Errno why) {
        error = why;
        tcp.connections.destroy(this);
    }

    /**
     * The connection's statistics for {@code TCP_INFO} and {@code netstat -e} (one source for both;
     * see {@link TcpInfo} for what each figure means).
     */
    TcpInfo tcpInfo() {
        long now = now();
        boolean synSent = state == TcpState.SYN_SENT;
        long dataAcked = Math.max(0, sndUna - iss - 1 - (finAcked() ? 1 : 0));
        long dataReceived = synSent ? 0 : Math.max(0, rcvNxt - irs - 1 - (finReceived ? 1 : 0));
        long notSent = Math.max(0, sndUna + sendBuf.size() - sndMax);
        return new TcpInfo(state.name(), cc == null ? "" : cc.name(), retransmits, rtt.backoff(),
                rtt.rto() / 1000, tcp.settings().delayedAckMillis() * 1000L, mss,
                announcedMss() - (tsOk ? 12 : 0), route == null ? 1500 : route.mtu(), rtt.srtt() / 1000,
                rtt.rttvar() / 1000, cc == null ? 0 : cc.ssthresh() > (1L << 40) ? Long.MAX_VALUE : cc.ssthresh(),
                cc == null ? 0 : cc.cwnd(), sndWnd, Math.max(0, rcvAdvEdge - rcvNxt),
                recovery == null ? 0 : recovery.lostBytes(), recovery == null ? 0 : recovery.sackedBytes(),
                retransmittedSegments, bytesSent, bytesRetrans, dataAcked, dataReceived, segsOut, segsIn,
                dataSegsOut, dataSegsIn, notSent, dataSegsOut == 0 ? -1 : millisSince(now, lastDataSentAt),
                millisSince(now, lastDataReceivedAt), millisSince(now, lastAckReceivedAt), sackOk, tsOk, wsOk,
                wsOk ? sndWscale : 0, wsOk ? rcvWscale : 0);
    }

    private static long millisSince(long now, long at) {
        return at == NONE ? -1 : (now - at) / 1_000_000L;
    }
}
