package netkit.tcp;

import static netkit.api.testing.ErrnoAssertions.errno;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import netkit.api.Errno;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.TokenSet;
import netkit.api.wire.Bytes;
import netkit.api.wire.TcpHeader;
import org.junit.jupiter.api.Test;

/**
 * Urgent data at the receiver with SO_OOBINLINE on (netkit's default, RFC 6093 §6) and off (Linux's
 * out-of-band byte, {@code tcp_recv_urg}). The sender's MSG_OOB puts the urgent pointer after the
 * last byte it sends; that byte is the mark.
 */
class TcpUrgentTest {
    private final TcpHarness h = new TcpHarness();
    private final byte[] buf = new byte[64];

    /** Sends "abc", then "!" with MSG_OOB, then "def", each in its own segment. */
    private void abcUrgentDef(int s) throws Exception {
        h.a.send(s, "abc".getBytes(), 0, 3, 0);
        h.run(Duration.ofMillis(50));
        h.a.send(s, "!".getBytes(), 0, 1, Net.MSG_OOB);
        h.run(Duration.ofMillis(50));
        h.a.send(s, "def".getBytes(), 0, 3, 0);
        h.run(Duration.ofMillis(50));
    }

    private boolean exception(int s) throws Exception {
        return h.b.select(null, null, TokenSet.of(s), Duration.ZERO) == 1;
    }

    private String recv(int s, int flags) throws Exception {
        return new String(buf, 0, h.b.recv(s, buf, 0, buf.length, flags));
    }

    @Test
    void inlineByDefaultTheReadStopsAtTheMarkAndMsgOobIsEinval() throws Exception {
        int[] p = h.pair(9200);
        assertEquals(1, h.b.getsockopt(p[1], Net.SOL_SOCKET, Net.SO_OOBINLINE), "netkit's default");
        abcUrgentDef(p[0]);
        assertEquals(true, exception(p[1]), "urgent data pending");
        assertEquals(Errno.EINVAL, errno(() -> h.b.recv(p[1], buf, 0, 8, Net.MSG_OOB)), "inline: nothing out of band");
        assertEquals("abc", recv(p[1], 0), "stops at the mark");
        assertEquals(true, exception(p[1]), "the urgent byte is not read yet");
        assertEquals("!def", recv(p[1], 0), "the urgent byte in the stream");
        assertEquals(false, exception(p[1]), "read past the mark");
    }

    @Test
    void offTheUrgentByteIsReadOnceOutOfBand() throws Exception {
        int[] p = h.pair(9201);
        h.b.setsockopt(p[1], Net.SOL_SOCKET, Net.SO_OOBINLINE, 0);
        assertEquals(0, h.b.getsockopt(p[1], Net.SOL_SOCKET, Net.SO_OOBINLINE));
        assertEquals(Errno.EINVAL, errno(() -> h.b.recv(p[1], buf, 0, 8, Net.MSG_OOB)), "no urgent data yet");
        abcUrgentDef(p[0]);
        assertEquals(true, exception(p[1]));
        assertEquals("abc", recv(p[1], 0), "stops at the mark");
        assertEquals("!", recv(p[1], Net.MSG_OOB | Net.MSG_PEEK), "a peek leaves it");
        assertEquals("!", recv(p[1], Net.MSG_OOB));
        assertEquals(false, exception(p[1]), "taken");
        assertEquals(Errno.EINVAL, errno(() -> h.b.recv(p[1], buf, 0, 8, Net.MSG_OOB)), "read once");
        assertEquals("def", recv(p[1], Net.MSG_PEEK), "out of the stream for a peek");
        assertEquals("def", recv(p[1], 0), "out of the stream");
    }

    @Test
    void offAReadPastTheMarkDropsTheUrgentByte() throws Exception {
        int[] p = h.pair(9202);
        h.b.setsockopt(p[1], Net.SOL_SOCKET, Net.SO_OOBINLINE, 0);
        abcUrgentDef(p[0]);
        assertEquals("abc", recv(p[1], 0));
        assertEquals("def", recv(p[1], 0), "the urgent byte is stepped over");
        assertEquals(Errno.EINVAL, errno(() -> h.b.recv(p[1], buf, 0, 8, Net.MSG_OOB)), "gone once read past (Linux)");
        h.a.send(p[0], "!".getBytes(), 0, 1, Net.MSG_OOB);
        h.run(Duration.ofMillis(50));
        assertEquals(Errno.EWOULDBLOCK, errno(() -> h.b.recv(p[1], buf, 0, 8, 0)),
                "a read with the urgent byte next steps over it (Linux tcp_recvmsg)");
        assertEquals(Errno.EINVAL, errno(() -> h.b.recv(p[1], buf, 0, 8, Net.MSG_OOB)), "and so drops it");
        h.a.send(p[0], "xyz".getBytes(), 0, 3, 0);
        h.run(Duration.ofMillis(50));
        assertEquals("xyz", recv(p[1], 0));
    }

    @Test
    void offTheUrgentByteAloneIsNotReadable() throws Exception {
        int[] p = h.pair(9203);
        h.b.setsockopt(p[1], Net.SOL_SOCKET, Net.SO_OOBINLINE, 0);
        h.a.send(p[0], "!".getBytes(), 0, 1, Net.MSG_OOB);
        h.run(Duration.ofMillis(50));
        assertEquals(true, exception(p[1]));
        assertEquals(0, h.b.select(TokenSet.of(p[1]), null, null, Duration.ZERO), "no normal data (Linux tcp_poll)");
        assertEquals("!", recv(p[1], Net.MSG_OOB));
        assertEquals(Errno.EWOULDBLOCK, errno(() -> h.b.recv(p[1], buf, 0, 8, 0)), "it is not in the stream");
        h.a.shutdown(p[0], Net.SHUT_WR);
        h.run(Duration.ofMillis(50));
        assertEquals(0, h.b.recv(p[1], buf, 0, 8, 0), "the end of the stream, no urgent byte in it");
    }

    /**
     * The pointer announces a byte that has not arrived: MSG_OOB gives EWOULDBLOCK (never blocks,
     * Linux); when it arrives it is taken out of the stream.
     */
    @Test
    void anAnnouncedByteNotYetArrivedIsEwouldblock() throws Exception {
        int[] p = h.pair(9204);
        h.b.setsockopt(p[1], Net.SOL_SOCKET, Net.SO_OOBINLINE, 0);
        h.b.setsockopt(p[1], Net.SOL_SOCKET, Net.SO_NONBLOCK, 0); // even a blocking socket does not wait
        boolean[] once = {true};
        h.net.hub.segment("lan").filter((port, f) -> {
            byte[] a = f.array();
            int o = f.offset();
            if (once[0] && (port.mac() & 0xff) == 0 && f.length() > 66 && (a[o + 23] & 0xff) == 6) {
                once[0] = false;
                a[o + 47] |= TcpHeader.URG;
                Bytes.put16(a, o + 52, 6); // the urgent byte is the 6th: past this segment's 4
                TcpHeader.checksum(a, o + 34, f.length() - 34, Bytes.get32(a, o + 26), Bytes.get32(a, o + 30));
            }
            return true;
        });
        h.a.send(p[0], "abcd".getBytes(), 0, 4, 0);
        h.run(Duration.ofMillis(50));
        assertEquals(false, exception(p[1]), "announced, not arrived");
        assertEquals(Errno.EWOULDBLOCK, errno(() -> h.b.recv(p[1], buf, 0, 8, Net.MSG_OOB)));
        h.a.send(p[0], "efgh".getBytes(), 0, 4, 0);
        h.run(Duration.ofMillis(50));
        assertEquals(true, exception(p[1]));
        assertEquals("abcde", recv(p[1], 0), "up to the mark");
        assertEquals("f", recv(p[1], Net.MSG_OOB));
        assertEquals("gh", recv(p[1], 0));
    }

    @Test
    void msgOobOnAListenerIsEnotconnAndOnAFreshSocketEinval() throws Exception {
        int l = h.listen(9205, 4);
        assertEquals(Errno.ENOTCONN, errno(() -> h.b.recv(l, buf, 0, 8, Net.MSG_OOB)));
        int s = h.a.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        assertEquals(Errno.EINVAL, errno(() -> h.a.recv(s, buf, 0, 8, Net.MSG_OOB)));
        assertEquals(Errno.EINVAL, errno(() -> h.a.recv(s, buf, 0, 8, Net.MSG_OOB | Net.MSG_TRY)));
        h.a.bind(s, SockAddr.of(0, 0));
    }

    /** An accepted socket takes the listener's SO_OOBINLINE (Linux copies socket flags). */
    @Test
    void acceptedSocketsInheritTheSetting() throws Exception {
        int l = h.b.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        h.b.setsockopt(l, Net.SOL_SOCKET, Net.SO_OOBINLINE, 0);
        h.b.bind(l, SockAddr.of(0, 9206));
        h.b.listen(l, 4);
        int c = h.connect(9206);
        assertEquals(0, h.awaitConnect(c, Duration.ofSeconds(5)));
        h.run(Duration.ofMillis(10));
        int s = h.b.accept(l).token();
        assertEquals(0, h.b.getsockopt(s, Net.SOL_SOCKET, Net.SO_OOBINLINE));
        h.b.setsockopt(s, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        abcUrgentDef(c);
        assertEquals("abc", recv(s, 0));
        assertEquals("!", recv(s, Net.MSG_OOB));
        assertEquals("def", recv(s, 0));
    }
}
