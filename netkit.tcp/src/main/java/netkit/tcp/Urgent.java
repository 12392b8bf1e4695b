package netkit.tcp;

import java.nio.ByteBuffer;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.buffer.PacketBuffer;

/**
 * Urgent data at the receiver (RFC 9293 §3.8.5, RFC 6093), as Linux's {@code tcp_check_urg},
 * {@code tcp_urg}, {@code tcp_recvmsg} and {@code tcp_recv_urg} do it. The urgent pointer marks the
 * byte after the urgent data (RFC 6093 §4, Linux's {@code tcp_stdurg} 0), so the last urgent byte is
 * the one before it ({@link TcpConnection#urgSeq}). Its state ({@link TcpConnection#urgData}) is
 * {@link #NOTYET} from the pointer's arrival, {@link #VALID} with the byte once the byte arrived,
 * {@link #READ} once taken with {@code MSG_OOB}, and 0 again once a read has passed it.
 *
 * <p>A read stops just before that byte (the mark) when it has read something; with
 * {@code SO_OOBINLINE} on (netkit's default) the byte is then read in the stream, with it off the
 * byte is stepped over and {@code recv(..., MSG_OOB)} returns it once. Select's exception set shows
 * a {@link #VALID} byte (Linux's {@code EPOLLPRI}). Stack lock held throughout.
 */
final class Urgent {
    /** Announced by the pointer, not yet arrived (Linux {@code TCP_URG_NOTYET}). */
    static final int NOTYET = 0x200;
    /** Arrived; the low 8 bits are the byte (Linux {@code TCP_URG_VALID}). */
    static final int VALID = 0x100;
    /** Taken with {@code MSG_OOB} (Linux {@code TCP_URG_READ}). */
    static final int READ = 0x400;

    private Urgent() {
    }

    /** The sequence number of the next byte the application reads (Linux {@code copied_seq}). */
    static long copiedSeq(TcpConnection c) {
        return c.rcvNxt - c.recvBuf.readable() - (c.finReceived ? 1 : 0);
    }

    /** A segment at {@code seq} carried URG with {@code pointer} ({@code tcp_check_urg}). */
    static void pointer(TcpConnection c, long seq, int pointer) {
        long ptr = seq + pointer - 1;
        long copied = copiedSeq(c);
        if (copied > ptr || ptr < c.rcvNxt) {
            return; // already read, or a replay of a pointer to data already received
        }
        if (c.urgData != 0 && ptr <= c.urgSeq) {
            return; // the same pointer again, or an older one
        }
        if (c.urgData != 0 && c.urgSeq == copied && !c.options.oobInline() && c.recvBuf.readable() > 0) {
            c.recvBuf.discard(1); // the previous urgent byte is next: it stays out of the stream
        }
        c.urgData = NOTYET;
        c.urgSeq = ptr;
    }

    /**
     * A segment's data {@code pkt.array()[off..off+len)} at {@code seq} arrives (in order or not):
     * when it holds the announced urgent byte, the byte is kept ({@code tcp_urg}).
     */
    static void arrives(TcpConnection c, PacketBuffer pkt, int off, long seq, int len) {
        if (c.urgSeq >= seq && c.urgSeq < seq + len) {
            c.urgData = VALID | pkt.array()[off + (int) (c.urgSeq - seq)] & 0xff;
            c.wake();
        }
    }

    /** Select's exception set: an urgent byte arrived and was neither read past nor taken. */
    static boolean pending(TcpConnection c) {
        return (c.urgData & VALID) != 0;
    }

    /**
     * Bytes a read may move before the mark, given it wants {@code max}; 0 when a read that has
     * {@code got} something stops at the mark. When the urgent byte is next, nothing was read yet and
     * SO_OOBINLINE is off, a read removes the byte without copying it (a peek steps over it with
     * {@link #hidden}).
     */
    static int limit(TcpConnection c, int max, int got, boolean peek) {
        if (c.urgData == 0) {
            return max;
        }
        long offset = c.urgSeq - copiedSeq(c);
        if (offset < 0) {
            return max;
        }
        if (offset == 0) {
            if (got > 0) {
                return 0; // Linux: stop at urgent data once something was read
            }
            if (!c.options.oobInline() && !peek) {
                c.recvBuf.discard(1);
                passed(c);
            }
            return max;
        }
        return (int) Math.min(max, offset);
    }

    /** After a read: once the application has read past the urgent byte its state is cleared. */
    static void passed(TcpConnection c) {
        if (c.urgData != 0 && copiedSeq(c) > c.urgSeq) {
            c.urgData = 0;
        }
    }

    /**
     * Linux's poll target adjustment: with SO_OOBINLINE off, an urgent byte next in the stream does
     * not count toward read readiness.
     */
    static int hidden(TcpConnection c) {
        return c.urgData != 0 && !c.options.oobInline() && c.urgSeq == copiedSeq(c) ? 1 : 0;
    }

    /**
     * {@code recv(..., MSG_OOB)} ({@code tcp_recv_urg}): the urgent byte, once; never blocks.
     *
     * @throws ErrnoException EINVAL with SO_OOBINLINE on, without an urgent byte, or when it was
     *                        taken already; ENOTCONN on a connection closed before the peer's FIN;
     *                        EWOULDBLOCK while the byte is announced but not yet arrived
     */
    static int receive(TcpConnection c, ByteBuffer dst, int length, boolean peek) throws ErrnoException {
        if (c.options.oobInline() || c.urgData == 0 || c.urgData == READ) {
            throw new ErrnoException(Errno.EINVAL, "no urgent byte to read out of band");
        }
        if (c.state == TcpState.CLOSED && !c.finReceived) {
            throw new ErrnoException(Errno.ENOTCONN);
        }
        if ((c.urgData & VALID) != 0) {
            byte b = (byte) c.urgData;
            if (!peek) {
                c.urgData = READ;
                c.tcp.ctx.readinessChanged();
            }
            if (length > 0) {
                dst.put(b);
                return 1;
            }
            return 0;
        }
        if (c.state == TcpState.CLOSED || c.finReceived || c.readShut) {
            return 0;
        }
        throw new ErrnoException(Errno.EWOULDBLOCK, "the urgent byte has not arrived yet");
    }
}
