package netkit.tcp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import netkit.api.SockAddr;
import netkit.api.admin.SocketStatus;
import netkit.api.time.Timer;

/**
 * The {@link TimeWait} records of one stack: by 4-tuple, and in expiry order on a list threaded
 * through the records, behind one loop timer for the oldest (a record costs no timer of its own).
 * Every record waits 2·MSL from its entry or its last restart, so the list stays in expiry order;
 * after {@code mslMillis} is lowered, the records entered since leave after the older ones. At most
 * {@link TcpSettings#maxTimeWait()} records are kept (Linux {@code tcp_max_tw_buckets}); the
 * caller counts what does not fit. Stack lock held throughout.
 */
final class TimeWaits {
    private final TcpInstance tcp;
    private final Map<ConnectionKey, TimeWait> byKey = new HashMap<>();
    private final PortCounts ports;
    private TimeWait oldest;
    private TimeWait newest;
    private Timer timer;
    private long timerAt;

    /** Records of {@code tcp}, whose local ports are counted in {@code ports}. */
    TimeWaits(TcpInstance tcp, PortCounts ports) {
        this.tcp = tcp;
        this.ports = ports;
    }

    /** The record of a 4-tuple, {@code key} a {@link ConnectionKey} or a {@link ConnectionKey.Probe}. */
    TimeWait get(Object key) {
        return byKey.get(key);
    }

    int size() {
        return byKey.size();
    }

    /** Whether another record fits under {@code maxTimeWait}. */
    boolean hasRoom() {
        return byKey.size() < tcp.settings().maxTimeWait();
    }

    void add(TimeWait tw) {
        byKey.put(tw.key, tw);
        ports.add(tw.key.localPort());
        append(tw);
        schedule();
    }

    /** The record is gone: TIME_WAIT ended, a new incarnation took its 4-tuple, or TCP left. */
    void remove(TimeWait tw) {
        if (byKey.remove(tw.key) != tw) {
            return;
        }
        ports.remove(tw.key.localPort());
        unlink(tw);
        schedule();
    }

    /** The peer's FIN came again: 2·MSL starts over (RFC 9293 §3.10.7.4). */
    void restart(TimeWait tw, long now) {
        tw.expiresAt = now + 2 * tcp.settings().mslMillis() * 1_000_000L;
        unlink(tw);
        append(tw);
        schedule();
    }

    /** Forgets every record (TCP leaves: RFC 9293 §3.10.7 ABORT just deletes a TIME-WAIT TCB). */
    void clear() {
        for (TimeWait tw = oldest; tw != null; tw = tw.newer) {
            ports.remove(tw.key.localPort());
        }
        byKey.clear();
        oldest = null;
        newest = null;
        schedule();
    }

    /** netstat rows: no token, owner {@value Orphans#OWNER}, the time left. */
    List<SocketStatus> statuses() {
        List<SocketStatus> out = new ArrayList<>(byKey.size());
        long now = tcp.ctx.loop().nanoTime();
        for (TimeWait tw = oldest; tw != null; tw = tw.newer) {
            ConnectionKey k = tw.key;
            out.add(new SocketStatus(-1, Orphans.OWNER, "tcp", SockAddr.of(k.localAddress(), k.localPort()),
                    SockAddr.of(k.remoteAddress(), k.remotePort()), TcpState.TIME_WAIT.name(), 0, 0,
                    Map.of("timewait", Math.max(0, (tw.expiresAt - now) / 1_000_000L) + "ms")));
        }
        return out;
    }

    private void append(TimeWait tw) {
        tw.older = newest;
        tw.newer = null;
        if (newest != null) {
            newest.newer = tw;
        } else {
            oldest = tw;
        }
        newest = tw;
    }

    private void unlink(TimeWait tw) {
        if (tw.older != null) {
            tw.older.newer = tw.newer;
        } else {
            oldest = tw.newer;
        }
        if (tw.newer != null) {
            tw.newer.older = tw.older;
        } else {
            newest = tw.older;
        }
        tw.older = null;
        tw.newer = null;
    }

    /** A loop timer due no later than the oldest record, none when there is no record. */
    private void schedule() {
        if (oldest == null) {
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
            return;
        }
        if (timer != null && timer.pending() && timerAt <= oldest.expiresAt) {
            return; // an early timer finds nothing due and sets the next one
        }
        if (timer != null) {
            timer.cancel();
        }
        timerAt = oldest.expiresAt;
        timer = tcp.ctx.schedule(Math.max(0, timerAt - tcp.ctx.loop().nanoTime()), this::expire);
    }

    private void expire() {
        timer = null;
        long now = tcp.ctx.loop().nanoTime();
        while (oldest != null && oldest.expiresAt <= now) {
            TimeWait tw = oldest;
            byKey.remove(tw.key);
            ports.remove(tw.key.localPort());
            unlink(tw); // 2·MSL elapsed (RFC 9293 §3.10.8)
        }
        schedule();
    }
}
