package netkit.tcp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import netkit.api.Errno;
import netkit.api.SockAddr;
import netkit.api.spi.protocol.Route;
import netkit.api.spi.protocol.SocketOptions;
import netkit.api.stats.TcpCounter;
import netkit.api.time.Timer;
import netkit.tcp.cc.CongestionControl;

/**
 * One connection's TCB (RFC 9293 §3.3.1) and its timers. Sequence numbers are held 64-bit
 * extended (the 32-bit wire values are unwrapped around SND.UNA and RCV.NXT), so comparisons never
 * wrap. Segment arrival is {@link TcpInput}'s, transmission {@link TcpSender}'s. Everything runs
 * under the stack lock.
 */
final class TcpConnection {
    final TcpInstance tcp;
    final ConnectionKey key;
    final SocketOptions options;
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
    // Receive sequence space.
    long irs;
    long rcvNxt;
    long rcvAdvEdge;
    final ReceiveBuffer recvBuf;
    boolean finReceived;
    long outOfOrderFin = -1;
    long urgentMark = -1;
    long readSeq;
    // Negotiated options.
    int mss = 536;
    int peerMss = 536;
    int sndWscale;
    int rcvWscale;
    boolean wsOk;
    boolean tsOk;
    boolean sackOk;
    int tsRecent;
    long lastAckSent;
    int tsOffset;
    // Loss recovery and congestion control.
    CongestionControl cc;
    final RttEstimator rtt;
    final Scoreboard scoreboard = new Scoreboard();
    int dupAcks;
    boolean inRecovery;
    long recoverSeq;
    long highRxt;
    long rttSeq = -1;
    long rttStart;
    int retransmits;
    long retransmittedSegments;
    // ACK policy.
    int unackedSegments;
    boolean ackNow;
    // Timers (absolute loop nanos, 0 = off) behind one scheduled loop timer.
    long rtoAt;
    long delackAt;
    long persistAt;
    long keepaliveAt;
    long timeWaitAt;
    long finWait2At;
    int persistBackoff;
    int keepaliveProbes;
    private Timer timer;
    private long timerAt;
    // Application side.
    Errno error;
    Errno softError;
    boolean readShut;
    boolean orphan;
    Listener parent;
    TcpSocket socket;
    long autoTuneStart;
    long autoTuneBytes;

    TcpConnection(TcpInstance tcp, ConnectionKey key, SocketOptions options) {
        this.tcp = tcp;
        this.key = key;
        this.options = options;
        this.changed = tcp.ctx.lock().newCondition();
        this.sendBuf = new SendBuffer(options.sendBuffer(), tcp.memory());
        this.recvBuf = new ReceiveBuffer(options.receiveBufferSet() ? options.receiveBuffer()
                : Math.min(128 * 1024, tcp.settings().maxReceiveBuffer()), tcp.memory());
        this.rtt = new RttEstimator(tcp.settings());
        this.tsOffset = tcp.ctx.secureRandom().nextInt(); // RFC 7323 §5.4: a random offset per connection
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

    /** Our timestamp clock: milliseconds with a per-connection random offset (RFC 7323 §5.4). */
    int tsNow() {
        return (int) (now() / 1_000_000L) + tsOffset;
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

    /** Whether our FIN has been sent. */
    boolean finSent() {
        return finQueued && sndMax > finSeq;
    }

    /** Whether our FIN has been acknowledged. */
    boolean finAcked() {
        return finQueued && sndUna > finSeq;
    }

    /** Sets the MSS from the route MTU and the peer's MSS option (RFC 9293 §3.7.1, RFC 6691). */
    void computeMss() {
        int fromRoute = (route == null ? 1500 : route.mtu()) - 40;
        mss = Math.max(64, Math.min(peerMss, fromRoute) - (tsOk ? 12 : 0));
    }

    /** The MSS we announce: the route MTU minus the IP and TCP headers. */
    int announcedMss() {
        return Math.max(536, Math.min(65495, (route == null ? 1500 : route.mtu()) - 40));
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
        retransmittedSegments++;
        tcp.count(TcpCounter.RETRANS_SEGS);
    }

    void state(TcpState s) {
        state = s;
        changed.signalAll();
        tcp.ctx.readinessChanged();
    }

    void wake() {
        changed.signalAll();
        tcp.ctx.readinessChanged();
    }

    // ---- timers -----------------------------------------------------------------------------

    /** Schedules the loop timer for the earliest deadline (a later one just re-arms when it fires). */
    void rearm() {
        long next = Long.MAX_VALUE;
        for (long t : new long[] {rtoAt, delackAt, persistAt, keepaliveAt, timeWaitAt, finWait2At}) {
            if (t != 0 && t < next) {
                next = t;
            }
        }
        if (next == Long.MAX_VALUE) {
            return;
        }
        if (timer != null && timer.pending() && timerAt <= next) {
            return;
        }
        if (timer != null) {
            timer.cancel();
        }
        timerAt = next;
        timer = tcp.ctx.schedule(Math.max(0, next - now()), this::onTimer);
    }

    private void onTimer() {
        timer = null;
        if (state == TcpState.CLOSED) {
            return;
        }
        long now = now();
        if (timeWaitAt != 0 && now >= timeWaitAt) {
            timeWaitAt = 0;
            tcp.destroy(this); // 2·MSL elapsed (RFC 9293 §3.10.8)
            return;
        }
        if (finWait2At != 0 && now >= finWait2At) {
            finWait2At = 0;
            tcp.destroy(this); // orphaned FIN_WAIT_2 timeout (like Linux tcp_fin_timeout)
            return;
        }
        if (rtoAt != 0 && now >= rtoAt) {
            rtoAt = 0;
            TcpSender.retransmitTimeout(this);
            if (state == TcpState.CLOSED) {
                return;
            }
        }
        if (persistAt != 0 && now >= persistAt) {
            persistAt = 0;
            TcpSender.persistProbe(this);
        }
        if (keepaliveAt != 0 && now >= keepaliveAt) {
            keepaliveAt = 0;
            TcpSender.keepaliveProbe(this);
            if (state == TcpState.CLOSED) {
                return;
            }
        }
        if (delackAt != 0 && now >= delackAt) {
            delackAt = 0;
            TcpSender.sendAck(this);
        }
        rearm();
    }

    /** Restarts the keepalive idle timer (any segment received counts as activity). */
    void touchKeepalive() {
        keepaliveProbes = 0;
        keepaliveAt = options.keepAlive() && state.synchronizedState() && state != TcpState.TIME_WAIT
                ? now() + keepIdleNanos() : 0;
    }

    long keepIdleNanos() {
        return tcp.keepIdleSeconds(this) * 1_000_000_000L;
    }

    void cancelTimers() {
        rtoAt = 0;
        delackAt = 0;
        persistAt = 0;
        keepaliveAt = 0;
        timeWaitAt = 0;
        finWait2At = 0;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    /** Enters TIME_WAIT: 2·MSL, then the connection is gone. */
    void enterTimeWait() {
        state(TcpState.TIME_WAIT);
        rtoAt = 0;
        persistAt = 0;
        keepaliveAt = 0;
        finWait2At = 0;
        delackAt = 0;
        timeWaitAt = now() + 2 * tcp.settings().mslMillis() * 1_000_000L;
        tcp.timeWaitStarted(this);
        rearm();
    }

    /** The connection failed or was reset: remember why, wake everybody, forget it. */
    void fail(Errno why) {
        error = why;
        tcp.destroy(this);
    }

    /** Internals for {@code netstat -i}. */
    Map<String, String> details() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cc", cc == null ? "-" : cc.name());
        m.put("cwnd", cc == null ? "-" : String.valueOf(cc.cwnd()));
        m.put("ssthresh", cc == null || cc.ssthresh() > (1L << 40) ? "-" : String.valueOf(cc.ssthresh()));
        m.put("srtt", String.format("%.3fms", rtt.srtt() / 1e6));
        m.put("rto", String.format("%dms", rtt.rto() / 1_000_000));
        m.put("mss", String.valueOf(mss));
        m.put("snd_wnd", String.valueOf(sndWnd));
        m.put("rcv_wnd", String.valueOf(rcvAdvEdge - rcvNxt));
        m.put("retrans", String.valueOf(retransmittedSegments));
        m.put("opts", (wsOk ? "ws" + sndWscale + "/" + rcvWscale + " " : "") + (tsOk ? "ts " : "") + (sackOk ? "sack" : ""));
        return m;
    }
}
