package netkit.tcp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import netkit.api.admin.SocketStatus;
import netkit.api.stats.TcpCounter;

/**
 * Orphans: connections the application has closed that TCP still finishes (FIN_WAIT_1,
 * FIN_WAIT_2, CLOSING, LAST_ACK: data or a FIN to deliver), bounded as on Linux. A close that
 * would make more than {@link TcpSettings#maxOrphans()} ({@code tcp_max_orphans}), or that would
 * leave queued data while the stack is over its memory limit, resets the connection at once; an
 * orphan whose timer finds the stack over either bound is reset ({@code tcp_out_of_resources});
 * an orphan gives up after {@link TcpSettings#effectiveOrphanRetries()} retransmissions or
 * zero-window probes, answered or not ({@code tcp_orphan_retries}). Until it is gone an orphan's
 * buffers stay charged to the {@link MemoryAccount}. TIME_WAIT is not counted: 2·MSL bounds it
 * and it holds no buffers. Stack lock held throughout.
 */
final class Orphans {
    /** What {@code netstat} shows as the owner of an orphan. */
    static final String OWNER = "orphan";
    private final TcpInstance tcp;
    private int count;

    Orphans(TcpInstance tcp) {
        this.tcp = tcp;
    }

    /** Orphans counted now (TIME_WAIT excluded). */
    int count() {
        return count;
    }

    /** Whether a connection in {@code s} counts as an orphan while it is one. */
    static boolean counted(TcpState s) {
        return s != TcpState.TIME_WAIT && s != TcpState.CLOSED;
    }

    /**
     * The application closed {@code c} (its FIN is queued): it becomes an orphan, or, beyond the
     * bounds, is reset now.
     *
     * @return false when the connection was reset instead
     */
    boolean adopt(TcpConnection c) {
        if (counted(c.state)) {
            TcpCounter over = count >= tcp.settings().maxOrphans() ? TcpCounter.ABORT_ON_ORPHAN_LIMIT
                    : c.sendBuf.size() > 0 && tcp.underMemoryPressure() ? TcpCounter.ABORT_ON_MEMORY : null;
            if (over != null) {
                reset(c, over);
                return false;
            }
            count++;
        }
        c.orphan = true;
        return true;
    }

    /** {@code c}, an orphan, moves from {@code from} to {@code to}. */
    void stateChanged(TcpState from, TcpState to) {
        if (counted(from) && !counted(to)) {
            count--;
        }
    }

    /**
     * At an orphan's retransmission or probe timer: resets it when the stack has too many orphans
     * or is over its memory limit while the orphan holds data.
     *
     * @return true when {@code c} was reset
     */
    boolean outOfResources(TcpConnection c) {
        TcpCounter over = count > tcp.settings().maxOrphans() ? TcpCounter.ABORT_ON_ORPHAN_LIMIT
                : c.sendBuf.size() > 0 && tcp.underMemoryPressure() ? TcpCounter.ABORT_ON_MEMORY : null;
        if (over == null) {
            return false;
        }
        reset(c, over);
        return true;
    }

    /** Resets {@code c} (RST to the peer, buffers returned at once) and counts {@code why}. */
    void reset(TcpConnection c, TcpCounter why) {
        tcp.count(why);
        TcpSender.sendReset(c);
        tcp.connections.destroy(c);
    }

    /**
     * netstat rows of every orphan, TIME_WAIT included (its records too): no token (-1), owner
     * {@value #OWNER}.
     */
    List<SocketStatus> statuses() {
        List<SocketStatus> out = new ArrayList<>();
        for (TcpConnection c : tcp.connections.all()) {
            if (c.orphan && c.state != TcpState.CLOSED) {
                out.add(new SocketStatus(-1, OWNER, "tcp", c.local(), c.remote(), c.state.name(),
                        c.recvBuf.readable(), c.sendBuf.size(), Map.of(), c.tcpInfo()));
            }
        }
        out.addAll(tcp.connections.timeWaits.statuses());
        return out;
    }
}
