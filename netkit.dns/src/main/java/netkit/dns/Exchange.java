package netkit.dns;

import java.time.Duration;
import java.util.function.LongSupplier;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.RecvInfo;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.api.TokenSet;
import netkit.api.netdb.ResolverCounter;
import netkit.api.stats.CounterSet;

/**
 * One try of one query with one server, over UDP (RFC 1035 §4.2.1) or TCP (§4.2.2, two-byte length
 * prefix), through the socket API. Each try has its own socket, so its source port is a fresh
 * ephemeral port the stack draws at random (RFC 5452 §9.2). A UDP response is accepted only when it
 * comes from the server's address and port 53, carries the query's ID and repeats its question (RFC
 * 5452 §9.1); anything else is dropped and counted, and the try goes on waiting until its deadline.
 */
final class Exchange {
    /** The DNS port. */
    static final int PORT = 53;
    /** Bytes read of a UDP response: 512 without EDNS (RFC 1035 §2.3.4), more is read and ignored. */
    private static final int UDP_BUFFER = 4096;

    private final SocketManager sockets;
    private final LongSupplier clock;
    private final CounterSet<ResolverCounter> counters;

    Exchange(SocketManager sockets, LongSupplier clock, CounterSet<ResolverCounter> counters) {
        this.sockets = sockets;
        this.clock = clock;
        this.counters = counters;
    }

    /**
     * Sends {@code query} to {@code server} over UDP and waits up to {@code timeoutNanos} of loop
     * time for an acceptable response.
     *
     * @return the response, or null when none came in time
     * @throws ErrnoException when the query could not be sent (no route, no UDP)
     */
    DnsMessage udp(byte[] query, String name, int type, int server, long timeoutNanos) throws ErrnoException {
        int id = DnsMessage.id(query);
        SockAddr to = SockAddr.of(server, PORT);
        long deadline = clock.getAsLong() + timeoutNanos;
        int s = sockets.socket(Net.AF_INET, Net.SOCK_DGRAM, Net.IPPROTO_UDP);
        try {
            sockets.sendto(s, query, 0, query.length, 0, to);
            counters.inc(ResolverCounter.QUERIES);
            byte[] buf = new byte[UDP_BUFFER];
            RecvInfo info = new RecvInfo();
            while (true) {
                long left = deadline - clock.getAsLong();
                if (left <= 0) {
                    counters.inc(ResolverCounter.TIMEOUTS);
                    return null;
                }
                sockets.setsockopt(s, Net.SOL_SOCKET, Net.SO_RCVTIMEO, millis(left));
                int n;
                try {
                    n = sockets.recvfrom(s, buf, 0, buf.length, 0, info);
                } catch (ErrnoException e) {
                    if (e.errno() == Errno.EWOULDBLOCK) {
                        continue; // SO_RCVTIMEO passed: the loop sees the deadline
                    }
                    throw e;
                }
                if (!info.from().equals(to)) {
                    counters.inc(ResolverCounter.WRONG_SOURCE);
                    continue;
                }
                DnsMessage m = accept(buf, n, id, name, type);
                if (m != null) {
                    return m;
                }
            }
        } finally {
            sockets.closesocket(s);
        }
    }

    /**
     * Sends {@code query} to {@code server} over TCP and reads one response, all within
     * {@code timeoutNanos} of loop time.
     *
     * @return the response, or null when none acceptable came in time
     * @throws ErrnoException when the connection failed (refused, reset, unreachable)
     */
    DnsMessage tcp(byte[] query, String name, int type, int server, long timeoutNanos) throws ErrnoException {
        int id = DnsMessage.id(query);
        long deadline = clock.getAsLong() + timeoutNanos;
        int s = sockets.socket(Net.AF_INET, Net.SOCK_STREAM, Net.IPPROTO_TCP);
        try {
            if (!connect(s, SockAddr.of(server, PORT), deadline)) {
                counters.inc(ResolverCounter.TIMEOUTS);
                return null;
            }
            byte[] framed = new byte[query.length + 2];
            DnsMessage.put16(framed, 0, query.length);
            System.arraycopy(query, 0, framed, 2, query.length);
            sockets.setsockopt(s, Net.SOL_SOCKET, Net.SO_SNDTIMEO, millis(deadline - clock.getAsLong()));
            if (sockets.send(s, framed, 0, framed.length, 0) != framed.length) {
                counters.inc(ResolverCounter.TIMEOUTS);
                return null;
            }
            counters.inc(ResolverCounter.QUERIES);
            byte[] prefix = new byte[2];
            if (!read(s, prefix, 2, deadline)) {
                return null;
            }
            int length = DnsMessage.u16(prefix, 0);
            byte[] buf = new byte[length];
            if (!read(s, buf, length, deadline)) {
                return null;
            }
            return accept(buf, length, id, name, type);
        } finally {
            sockets.closesocket(s);
        }
    }

    /** The response in {@code buf}, or null (counted) when it is not an answer to this query. */
    private DnsMessage accept(byte[] buf, int n, int id, String name, int type) {
        if (n < 2 || DnsMessage.id(buf) != id) {
            counters.inc(n < 2 ? ResolverCounter.MALFORMED : ResolverCounter.WRONG_ID);
            return null;
        }
        DnsMessage m;
        try {
            m = DnsMessage.parse(buf, n);
        } catch (MalformedMessageException e) {
            counters.inc(ResolverCounter.MALFORMED);
            return null;
        }
        if (!m.response() || m.opcode() != 0) {
            counters.inc(ResolverCounter.MALFORMED);
            return null;
        }
        if (!m.answers(name, type)) {
            counters.inc(ResolverCounter.WRONG_QUESTION);
            return null;
        }
        counters.inc(ResolverCounter.RESPONSES);
        return m;
    }

    /** A non-blocking connect finished through select, within the deadline. */
    private boolean connect(int s, SockAddr to, long deadline) throws ErrnoException {
        sockets.setsockopt(s, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        try {
            sockets.connect(s, to);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EINPROGRESS) {
                throw e;
            }
            while (true) {
                long left = deadline - clock.getAsLong();
                if (left <= 0) {
                    return false;
                }
                TokenSet write = TokenSet.of(s);
                if (sockets.select(null, write, null, Duration.ofNanos(left)) > 0) {
                    break;
                }
            }
            int error = sockets.getsockopt(s, Net.SOL_SOCKET, Net.SO_ERROR);
            if (error != 0) {
                Errno errno = Errno.of(error);
                throw new ErrnoException(errno == null ? Errno.ECONNREFUSED : errno);
            }
        }
        sockets.setsockopt(s, Net.SOL_SOCKET, Net.SO_NONBLOCK, 0);
        return true;
    }

    /** Reads exactly {@code n} bytes before the deadline; false (counted) when the time is up or the stream ends. */
    private boolean read(int s, byte[] buf, int n, long deadline) throws ErrnoException {
        int got = 0;
        while (got < n) {
            long left = deadline - clock.getAsLong();
            if (left <= 0) {
                counters.inc(ResolverCounter.TIMEOUTS);
                return false;
            }
            sockets.setsockopt(s, Net.SOL_SOCKET, Net.SO_RCVTIMEO, millis(left));
            int r;
            try {
                r = sockets.recv(s, buf, got, n - got, 0);
            } catch (ErrnoException e) {
                if (e.errno() == Errno.EWOULDBLOCK) {
                    continue;
                }
                throw e;
            }
            if (r == 0) {
                counters.inc(ResolverCounter.MALFORMED); // the server closed in the middle of a message
                return false;
            }
            got += r;
        }
        return true;
    }

    /** Nanoseconds as a socket timeout in milliseconds, rounded up, at least 1 (0 would mean forever). */
    private static int millis(long nanos) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000));
    }
}
