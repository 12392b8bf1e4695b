package netkit.dns;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.RecvInfo;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.api.TokenSet;
import netkit.stack.Stack;

/**
 * A scripted DNS server on port 53 (UDP and TCP) of a test stack, polled by the test between steps
 * of simulated time. Each query is logged and handed to the script, whose replies go back to the
 * asker: from port 53, or as a {@link Send} from elsewhere (another port, another stack).
 */
final class DnsServer {
    /** A query as the server saw it. */
    record Query(int id, String name, int type, SockAddr from, boolean tcp, long at) {
    }

    /** A datagram to send to the asker from {@code via}'s socket (a spoofer). */
    record Send(SocketManager via, int socket, byte[] bytes) {
    }

    private final Stack stack;
    final SocketManager api;
    final int udp;
    private final int listener;
    private final Map<Integer, byte[]> connections = new HashMap<>();
    private final byte[] buf = new byte[65_536];
    private final RecvInfo info = new RecvInfo();
    final List<Query> log = new ArrayList<>();
    /** The script: what to answer (byte arrays from port 53, or {@link Send}s); null or empty: nothing. */
    Function<Query, List<Object>> script = q -> List.of();

    DnsServer(Stack stack) throws ErrnoException {
        this.stack = stack;
        this.api = stack.sockets("dns-server");
        udp = api.socket(Net.AF_INET, Net.SOCK_DGRAM, 0);
        api.bind(udp, SockAddr.of(0, 53));
        listener = api.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        api.bind(listener, SockAddr.of(0, 53));
        api.listen(listener, 8);
        api.setsockopt(listener, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
    }

    /** The server's address (its eth0). */
    int address() {
        return stack.iface("eth0").status().address();
    }

    /** Queries the server got of {@code name}. */
    long count(String name) {
        return log.stream().filter(q -> q.name().equalsIgnoreCase(name)).count();
    }

    /** Reads whatever arrived and answers it per the script. */
    void poll() throws ErrnoException {
        TokenSet ready = TokenSet.of(udp, listener);
        connections.keySet().forEach(ready::set);
        if (api.select(ready, null, null, Duration.ZERO) == 0) {
            return; // nothing arrived: no EWOULDBLOCK exceptions to build
        }
        while (true) {
            int n;
            try {
                n = api.recvfrom(udp, buf, 0, buf.length, Net.MSG_DONTWAIT, info);
            } catch (ErrnoException e) {
                if (e.errno() == Errno.EWOULDBLOCK) {
                    break;
                }
                throw e;
            }
            Query q = parse(buf, n, info.from(), false);
            for (Object r : answer(q)) {
                if (r instanceof Send s) {
                    s.via().sendto(s.socket(), s.bytes(), 0, s.bytes().length, 0, q.from());
                } else {
                    byte[] b = (byte[]) r;
                    api.sendto(udp, b, 0, b.length, 0, q.from());
                }
            }
        }
        while (true) {
            try {
                int c = api.accept(listener).token();
                api.setsockopt(c, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
                connections.put(c, new byte[0]);
            } catch (ErrnoException e) {
                if (e.errno() == Errno.EWOULDBLOCK) {
                    break;
                }
                throw e;
            }
        }
        for (Map.Entry<Integer, byte[]> e : new ArrayList<>(connections.entrySet())) {
            int c = e.getKey();
            byte[] got = e.getValue();
            try {
                int n = api.recv(c, buf, 0, buf.length, 0);
                byte[] more = new byte[got.length + n];
                System.arraycopy(got, 0, more, 0, got.length);
                System.arraycopy(buf, 0, more, got.length, n);
                got = more;
                connections.put(c, got);
            } catch (ErrnoException x) {
                if (x.errno() != Errno.EWOULDBLOCK) {
                    throw x;
                }
            }
            if (got.length >= 2 && got.length >= 2 + DnsMessage.u16(got, 0)) {
                byte[] query = new byte[DnsMessage.u16(got, 0)];
                System.arraycopy(got, 2, query, 0, query.length);
                Query q = parse(query, query.length, api.getpeername(c), true);
                for (Object r : answer(q)) {
                    byte[] b = (byte[]) r;
                    byte[] framed = new byte[b.length + 2];
                    DnsMessage.put16(framed, 0, b.length);
                    System.arraycopy(b, 0, framed, 2, b.length);
                    api.send(c, framed, 0, framed.length, 0);
                }
                connections.remove(c);
                api.closesocket(c);
            }
        }
    }

    private List<Object> answer(Query q) {
        log.add(q);
        List<Object> out = script.apply(q);
        return out == null ? List.of() : out;
    }

    private Query parse(byte[] b, int n, SockAddr from, boolean tcp) {
        try {
            DnsMessage m = DnsMessage.parse(b, n);
            DnsMessage.Question question = m.questions().get(0);
            return new Query(m.id(), question.name(), question.type(), from, tcp, stack.context().loop().nanoTime());
        } catch (MalformedMessageException e) {
            throw new AssertionError("the resolver sent a malformed query", e);
        }
    }
}
