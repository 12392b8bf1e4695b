package netkit.console;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.RecvInfo;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.api.TokenSet;
import netkit.api.wire.Bytes;
import netkit.api.wire.IcmpHeader;
import netkit.console.names.NameLookup;
import netkit.console.shell.CommandFailure;
import netkit.console.shell.Interruptible;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code netkit:ping}: ICMP echo through a datagram ICMP socket, with the output of Linux ping.
 * Ends after {@code -c} requests, or when interrupted (Ctrl-C in the shell).
 */
@Component(service = PingCommand.class, property = {"osgi.command.scope=netkit", "osgi.command.function=ping"})
public final class PingCommand {
    private final SocketManager sockets;
    private final NameLookup names;

    /** Without a resolver: HOST must be a dotted quad. */
    public PingCommand(SocketManager sockets) {
        this(sockets, new NameLookup());
    }

    @Activate
    public PingCommand(@Reference SocketManager sockets, @Reference NameLookup names) {
        this.sockets = sockets;
        this.names = names;
    }

    /** Usage, as the descriptor and the error for a missing HOST says it. */
    static final String USAGE = "ping [-c count] [-s size] [-i interval] [-W timeout] [-t ttl] [-R] HOST";

    /**
     * Pings HOST as Linux ping does: a line per reply, then the statistics (the result's
     * {@code toString}). Options as getopt reads them: {@code -c 1} or {@code -c1}, {@code -W1},
     * {@code -i0.2}.
     *
     * @throws CommandFailure after the statistics when no reply came (Linux ping exits 1 then)
     */
    @Descriptor("send ICMP echo requests: " + USAGE + " (-c count: stop after count requests, default until "
            + "Ctrl-C; -s data bytes 0..65507, default 56; -i seconds between requests, >= 0.01, default 1; "
            + "-W seconds to wait for the last reply, default 1; -t IP time to live 1..255, default 64; "
            + "-R record route; -c1 and -c 1 alike; fails (exit status 1) when no reply came)")
    public PingResult ping(@Descriptor("options and HOST (IPv4 address or host name)") String... args)
            throws ErrnoException {
        Options opts = Options.parse("ping", "c:s:i:W:t:R", args);
        if (opts.operands().isEmpty()) {
            throw new IllegalArgumentException("ping: usage error: Destination address required");
        }
        String host = opts.single(USAGE);
        PingOptions o = PingOptions.parse(opts.get("-c", ""), opts.get("-s", "56"), opts.get("-i", "1"),
                opts.get("-W", "1"), opts.get("-t", "64"));
        boolean recordRoute = opts.has("-R");
        int dst;
        try {
            dst = names.address(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ping: " + e.getMessage(), e);
        }
        PrintStream out = System.out;
        int s;
        try {
            s = sockets.socket(Net.AF_INET, Net.SOCK_DGRAM, Net.IPPROTO_ICMP);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EPROTONOSUPPORT) {
                throw new IllegalStateException(
                        "ping: ICMP is not available (is the netkit.icmp bundle running?): " + e.getMessage(), e);
            }
            throw e;
        }
        PingStats stats = new PingStats();
        long start = System.nanoTime();
        try (Interruptible command = Interruptible.enter()) {
            sockets.setsockopt(s, Net.IPPROTO_IP, Net.IP_TTL, o.ttl());
            sockets.setsockopt(s, Net.IPPROTO_IP, Net.IP_RECVERR, 1); // errors as messages: "From ... icmp_seq=N"
            if (dst == Net.INADDR_BROADCAST || (dst & 0xff) == 0xff) {
                sockets.setsockopt(s, Net.SOL_SOCKET, Net.SO_BROADCAST, 1);
            }
            if (recordRoute) {
                sockets.setsockopt(s, Net.IPPROTO_IP, Net.IP_RECORDROUTE, 1);
            }
            // without a route iputils prints only its error: the header goes out once the route is known
            // (before the first request, so printing is not inside its round trip) or, where that cannot
            // be learned beforehand, once the first request is on its way
            String header = String.format("PING %s (%s) %d(%d) bytes of data.", host, SockAddr.formatAddress(dst),
                    o.size(), o.size() + 28 + (recordRoute ? 40 : 0));
            if (routeKnown(dst)) {
                out.println(header);
                header = null;
            }
            run(command, s, dst, o.count(), o.size(), o.interval(), o.timeout(), stats, out, header);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EINTR) {
                // iputils' words for a send that fails (no route: it connects first to pick its source)
                String line = e.errno() == Errno.ENETUNREACH ? "ping: connect: Network is unreachable"
                        : "ping: sendmsg: " + e.errno().message();
                if (stats.transmitted() == 0) {
                    throw new IllegalStateException(line, e); // Linux prints no statistics then
                }
                out.println(line);
            }
        } finally {
            sockets.closesocket(s);
        }
        PingResult result = stats.result(host, (System.nanoTime() - start) / 1_000_000);
        if (result.received() == 0) {
            out.print(result);
            throw new CommandFailure("ping: no reply from " + host, result);
        }
        return result;
    }

    /**
     * Whether a route to {@code dst} is known, learned as iputils does: by connecting a UDP probe
     * socket (no packet is sent). Throws ENETUNREACH when there is none; false when the probe cannot
     * tell (no UDP protocol, a broadcast destination, another error).
     */
    private boolean routeKnown(int dst) throws ErrnoException {
        int probe;
        try {
            probe = sockets.socket(Net.AF_INET, Net.SOCK_DGRAM, 0);
        } catch (ErrnoException e) {
            return false;
        }
        try {
            sockets.connect(probe, SockAddr.of(dst, 1025));
            return true;
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENETUNREACH) {
                throw e;
            }
            return false;
        } finally {
            sockets.closesocket(probe);
        }
    }

    private void run(Interruptible command, int s, int dst, int count, int size, double interval, double timeout,
            PingStats stats, PrintStream out, String header) throws ErrnoException {
        Map<Integer, Long> pending = new HashMap<>();
        PingRoute route = new PingRoute();
        byte[] request = new byte[IcmpHeader.LEN + size];
        request[0] = (byte) IcmpHeader.ECHO_REQUEST;
        for (int i = IcmpHeader.LEN; i < request.length; i++) {
            request[i] = (byte) i; // the pattern Linux ping uses after its timestamp
        }
        byte[] reply = new byte[request.length + 64];
        RecvInfo info = new RecvInfo();
        long intervalNanos = (long) (interval * 1e9);
        long[] wait = new long[1]; // nanoseconds the next select may wait
        // made (and so linked) before the first request, like PingErrors loaded here: the first round
        // trip then measures the network and the stack, not the JVM linking the console's code
        Interruptible.Call<Integer> readable = () -> sockets.select(TokenSet.of(s), null, null, Duration.ofNanos(wait[0]));
        PingErrors.quotedSequence(reply, 0);
        long next = System.nanoTime();
        for (int seq = 1; count == 0 || seq <= count; seq++) {
            command.check();
            Bytes.put16(request, 6, seq & 0xffff);
            pending.put(seq & 0xffff, System.nanoTime());
            sockets.sendto(s, request, 0, request.length, 0, SockAddr.of(dst, 0));
            if (stats.transmitted() == 0 && header != null) {
                out.println(header);
            }
            stats.sent();
            next += intervalNanos;
            long waitUntil = count != 0 && seq == count ? System.nanoTime() + (long) (timeout * 1e9) : next;
            while (true) {
                long left = waitUntil - System.nanoTime();
                if (left <= 0 || (count != 0 && seq == count && pending.isEmpty())) {
                    break;
                }
                wait[0] = left;
                if (command.call(readable) == 0) {
                    continue;
                }
                receive(s, reply, info, pending, stats, route, out);
            }
        }
    }

    private void receive(int s, byte[] reply, RecvInfo info, Map<Integer, Long> pending, PingStats stats,
            PingRoute route, PrintStream out) throws ErrnoException {
        int n;
        try {
            n = sockets.recvfrom(s, reply, 0, reply.length, Net.MSG_DONTWAIT, info);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EWOULDBLOCK) {
                return;
            }
            if (e.errno() == Errno.EINTR) {
                throw e;
            }
            stats.error();
            out.println("ping: " + (e.errno() == Errno.EHOSTUNREACH ? "Destination Host Unreachable"
                    : e.errno() == Errno.ENETUNREACH ? "Destination Net Unreachable" : e.getMessage()));
            return;
        }
        int failed = PingErrors.quotedSequence(reply, n);
        if (failed >= 0) {
            pending.remove(failed); // no reply will come: the last wait may end early
            stats.error();
            out.println(PingErrors.describe(reply, n, info.from().address()));
            return;
        }
        IcmpHeader h = new IcmpHeader();
        if (!h.wrap(reply, 0, n) || h.type() != IcmpHeader.ECHO_REPLY) {
            return;
        }
        Long sentAt = pending.remove(h.sequence());
        if (sentAt == null) {
            out.printf("%d bytes from %s: icmp_seq=%d (DUP!)%n", n, SockAddr.formatAddress(info.from().address()),
                    h.sequence());
            return;
        }
        double rtt = (System.nanoTime() - sentAt) / 1e6;
        stats.reply(rtt);
        out.printf("%d bytes from %s: icmp_seq=%d ttl=%d time=%s ms%s%n", n,
                SockAddr.formatAddress(info.from().address()), h.sequence(), info.ttl(),
                rtt < 1 ? String.format("%.3f", rtt) : rtt < 10 ? String.format("%.2f", rtt)
                        : String.format("%.1f", rtt), route.describe(info.ipOptions()));
    }
}
