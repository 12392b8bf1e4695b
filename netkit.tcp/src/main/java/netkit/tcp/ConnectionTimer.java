package netkit.tcp;

import netkit.api.time.Timer;

/**
 * The one loop timer behind a connection's deadlines (retransmission, persist, keepalive, delayed
 * ACK, TIME_WAIT, orphaned FIN_WAIT_2; absolute loop nanos on the {@link TcpConnection}, 0 = off):
 * it is set for the earliest deadline, and when it fires every expired one runs.
 */
final class ConnectionTimer {
    private final TcpConnection c;
    private Timer timer;
    private long timerAt;

    ConnectionTimer(TcpConnection c) {
        this.c = c;
    }

    /** Schedules the loop timer for the earliest deadline (a later one just re-arms when it fires). */
    void rearm() {
        long next = earlier(earlier(earlier(c.rtoAt, c.delackAt), earlier(c.persistAt, c.keepaliveAt)),
                earlier(earlier(c.timeWaitAt, c.finWait2At), c.lossTimerAt));
        if (next == 0) {
            return;
        }
        if (timer != null && timer.pending() && timerAt <= next) {
            return;
        }
        if (timer != null) {
            timer.cancel();
        }
        timerAt = next;
        timer = c.tcp.ctx.schedule(Math.max(0, next - c.now()), this::fire);
    }

    /** The earlier of two deadlines, 0 meaning off (no array per call: this runs on every segment). */
    private static long earlier(long a, long b) {
        if (a == 0) {
            return b;
        }
        return b == 0 || a < b ? a : b;
    }

    /** Stops the loop timer (the deadlines are the connection's to clear). */
    void cancel() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void fire() {
        timer = null;
        if (c.state == TcpState.CLOSED) {
            return;
        }
        long now = c.now();
        if (c.timeWaitAt != 0 && now >= c.timeWaitAt) {
            c.timeWaitAt = 0;
            c.tcp.connections.destroy(c); // 2·MSL elapsed (RFC 9293 §3.10.8)
            return;
        }
        if (c.finWait2At != 0 && now >= c.finWait2At) {
            c.finWait2At = 0;
            c.tcp.connections.destroy(c); // orphaned FIN_WAIT_2 timeout (like Linux tcp_fin_timeout)
            return;
        }
        if (c.lossTimerAt != 0 && now >= c.lossTimerAt) {
            c.lossTimerAt = 0; // first: a tail loss probe due with the RTO goes instead of it
            c.recovery.lossTimer(c);
        }
        if (c.rtoAt != 0 && now >= c.rtoAt) {
            c.rtoAt = 0;
            TcpSender.retransmitTimeout(c);
            if (c.state == TcpState.CLOSED) {
                return;
            }
        }
        if (c.persistAt != 0 && now >= c.persistAt) {
            c.persistAt = 0;
            TcpSender.persistProbe(c);
            if (c.state == TcpState.CLOSED) {
                return;
            }
        }
        if (c.keepaliveAt != 0 && now >= c.keepaliveAt) {
            c.keepaliveAt = 0;
            TcpSender.keepaliveProbe(c);
            if (c.state == TcpState.CLOSED) {
                return;
            }
        }
        if (c.delackAt != 0 && now >= c.delackAt) {
            c.delackAt = 0;
            TcpSender.sendAck(c);
        }
        rearm();
    }
}
