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
import netkit.console.shell.Interruptible;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
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

    /** Pings {@code host}; prints a line per reply and returns the statistics. */
    @Descriptor("send ICMP echo requests: ping [-c count] [-s size] [-i interval] [-W timeout] [-t ttl] [-R] HOST")
    public String ping(
            @Descriptor("stop after this many requests (default: until Ctrl-C)")
            @Parameter(names = "-c", absentValue = "") String count,
            @Descriptor("data bytes per request (0..65507)") @Parameter(names = "-s", absentValue = "56") String size,
            @Descriptor("seconds between requests (at least 0.01)") @Parameter(names = "-i", absentValue = "1")
            String interval,
            @Descriptor("seconds to wait for the last reply") @Parameter(names = "-W", absentValue = "1")
            String timeout,
            @Descriptor("IP time to live (1..255)") @Parameter(names = "-t", absentValue = "64") String ttl,
            @Descriptor("record route (RFC 791 option; shown as RR: lines)")
            @Parameter(names = "-R", presentValue = "true", absentValue = "false") boolean recordRoute,
            @Descriptor("IPv4 address or host name") String host) throws ErrnoException {
        PingOptions o = PingOptions.parse(count, size, interval, timeout, ttl);
        int dst = names.address(host);
        PrintStream out = System.out;
        int s;
        try {
            s = sockets.socket(Net.AF_INET, Net.SOCK_DGRAM, Net.IPPROTO_ICMP);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EPROTONOSUPPORT) {
                return "ping: ICMP is not available (is the netkit.icmp bundle running?): " + e.getMessage() + "\n";
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
            out.printf("PING %s (%s) %d(%d) bytes of data.%n", host, SockAddr.formatAddress(dst), o.size(),
                    o.size() + 28 + (recordRoute ? 40 : 0));
            run(command, s, dst, o.count(), o.size(), o.interval(), o.timeout(), stats, out);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EINTR) {
                out.println("ping: " + e.getMessage());
            }
        } finally {
            sockets.closesocket(s);
        }
        return "\n" + stats.summary(host, (System.nanoTime() - start) / 1_000_000);
    }

    private void run(Interruptible command, int s, int dst, int count, int size, double interval, double timeout,
            PingStats stats, PrintStream out) throws ErrnoException {
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
        long next = System.nanoTime();
        for (int seq = 1; count == 0 || seq <= count; seq++) {
            command.check();
            Bytes.put16(request, 6, seq & 0xffff);
            pending.put(seq & 0xffff, System.nanoTime());
            sockets.sendto(s, request, 0, request.length, 0, SockAddr.of(dst, 0));
            stats.sent();
            next += intervalNanos;
            long waitUntil = count != 0 && seq == count ? System.nanoTime() + (long) (timeout * 1e9) : next;
            while (true) {
                long left = waitUntil - System.nanoTime();
                if (left <= 0 || (count != 0 && seq == count && pending.isEmpty())) {
                    break;
                }
                TokenSet read = TokenSet.of(s);
                if (command.call(() -> sockets.select(read, null, null, Duration.ofNanos(left))) == 0) {
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
