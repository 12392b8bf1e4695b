package netkit.console;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code netkit:traceroute HOST}: the hops to HOST the way Linux traceroute finds and prints them.
 * UDP probes of 32 data bytes (60-byte packets) to port 33434 and up (one more for each probe) with
 * the IP TTL growing from 1, {@code -q} probes per TTL; the ICMP errors they draw (time exceeded
 * from a router on the way, port unreachable from HOST itself) come back through the UDP socket's
 * error queue ({@link Net#IP_RECVERR}, {@link Net#MSG_ERRQUEUE}). A probe unanswered within
 * {@code -w} seconds prints {@code *}. It stops at the TTL where HOST answered, or where a host
 * said unreachable ({@code !H}, {@code !N}, {@code !P}), or after {@code -m} hops.
 */
@Component(service = TracerouteCommand.class, property = {"osgi.command.scope=netkit",
    "osgi.command.function=traceroute"})
public final class TracerouteCommand {
    static final String USAGE = "traceroute [-n] [-m max_ttl] [-q nqueries] [-w waittime] [-p port] HOST";
    /** Linux traceroute's default UDP port base. */
    static final int PORT = 33434;
    /** Data bytes per probe: 20 + 8 + 32 = Linux's 60-byte packets. */
    static final int DATA = 32;

    private final SocketManager sockets;
    private final NameLookup names;

    /** Without a resolver: HOST must be a dotted quad, hops print as addresses. */
    public TracerouteCommand(SocketManager sockets) {
        this(sockets, new NameLookup());
    }

    @Activate
    public TracerouteCommand(@Reference SocketManager sockets, @Reference NameLookup names) {
        this.sockets = sockets;
        this.names = names;
    }

    /** Traces the route to HOST, printing a line per hop; returns the hops. */
    @Descriptor("print the route to a host, like Linux traceroute: " + USAGE + " (UDP probes to port 33434 and "
            + "up with growing TTL; -n addresses only, -m most hops (30), -q probes per hop (3), -w seconds to wait "
            + "for each (5), -p first port)")
    public TracerouteResult traceroute(@Descriptor("options and HOST (IPv4 address or host name)") String... args)
            throws ErrnoException {
        Options o = Options.parse("traceroute", "nm:q:w:p:", args);
        if (o.operands().isEmpty()) {
            throw new IllegalArgumentException("traceroute: usage: " + USAGE);
        }
        String host = o.single(USAGE);
        int maxTtl = integer("-m", o.get("-m", "30"), 1, 255);
        int probes = integer("-q", o.get("-q", "3"), 1, 10);
        double wait = seconds(o.get("-w", "5"));
        int port = integer("-p", o.get("-p", String.valueOf(PORT)), 1, 65535);
        boolean numeric = o.has("-n");
        int dst = names.address(host); // "nosuch: Name or service not known", as Linux traceroute says first
        PrintStream out = System.out;
        StringBuilder text = new StringBuilder();
        List<TracerouteResult.Hop> hops = new ArrayList<>();
        boolean reached = false;
        int s = sockets.socket(Net.AF_INET, Net.SOCK_DGRAM, Net.IPPROTO_UDP);
        try (Interruptible command = Interruptible.enter()) {
            sockets.setsockopt(s, Net.IPPROTO_IP, Net.IP_RECVERR, 1);
            String header = String.format("traceroute to %s (%s), %d hops max, %d byte packets", host,
                    SockAddr.formatAddress(dst), maxTtl, 20 + 8 + DATA);
            out.println(header);
            text.append(header).append('\n');
            byte[] data = new byte[DATA];
            for (int i = 0; i < DATA; i++) {
                data[i] = (byte) (0x40 + i); // Linux traceroute's pattern
            }
            int seq = 0;
            for (int ttl = 1; ttl <= maxTtl && !reached; ttl++) {
                sockets.setsockopt(s, Net.IPPROTO_IP, Net.IP_TTL, ttl);
                StringBuilder line = new StringBuilder(String.format("%2d ", ttl));
                List<TracerouteResult.Probe> answers = new ArrayList<>();
                int last = 0;
                boolean stop = false;
                for (int q = 0; q < probes; q++) {
                    int probePort = (port + seq++ - 1) % 65535 + 1;
                    TracerouteResult.Probe p = probe(command, s, data, dst, probePort, wait);
                    answers.add(p);
                    if (p.from() == 0) {
                        line.append(" *");
                        continue;
                    }
                    if (p.from() != last) {
                        String a = SockAddr.formatAddress(p.from());
                        String name = numeric ? null : names.name(p.from());
                        line.append(' ').append(numeric ? a : (name != null ? name : a) + " (" + a + ")");
                        last = p.from();
                    }
                    line.append(String.format("  %.3f ms", p.rttMillis()));
                    if (!p.annotation().isEmpty()) {
                        line.append(' ').append(p.annotation());
                    }
                    if (p.from() == dst || !p.annotation().isEmpty()) {
                        stop = true; // HOST answered, or someone said it cannot be reached
                    }
                }
                out.println(line);
                text.append(line).append('\n');
                hops.add(new TracerouteResult.Hop(ttl, List.copyOf(answers)));
                reached = answers.stream().anyMatch(p -> p.from() == dst);
                if (stop) {
                    break;
                }
            }
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EINTR) {
                throw new IllegalStateException("traceroute: send: " + e.errno().message(), e);
            }
        } finally {
            sockets.closesocket(s);
        }
        return new TracerouteResult(host, dst, List.copyOf(hops), reached, text.toString());
    }

    /** Sends one probe to {@code dst:port} and waits up to {@code wait} seconds for the ICMP error it draws. */
    private TracerouteResult.Probe probe(Interruptible command, int s, byte[] data, int dst, int port, double wait)
            throws ErrnoException {
        long sent = System.nanoTime();
        sockets.sendto(s, data, 0, data.length, 0, SockAddr.of(dst, port));
        long deadline = sent + (long) (wait * 1e9);
        byte[] m = new byte[576];
        RecvInfo info = new RecvInfo();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return new TracerouteResult.Probe(0, Double.NaN, "");
            }
            TokenSet read = TokenSet.of(s);
            if (command.call(() -> sockets.select(read, null, null, Duration.ofNanos(left))) == 0) {
                continue;
            }
            int n;
            try {
                n = sockets.recvfrom(s, m, 0, m.length, Net.MSG_ERRQUEUE | Net.MSG_DONTWAIT, info);
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EWOULDBLOCK) {
                    throw e;
                }
                // a datagram, not an error (a service that answers on the port): not the probe's answer
                try {
                    sockets.recvfrom(s, m, 0, m.length, Net.MSG_DONTWAIT, info);
                } catch (ErrnoException none) {
                    if (none.errno() != Errno.EWOULDBLOCK) {
                        throw none;
                    }
                }
                continue;
            }
            double rtt = (System.nanoTime() - sent) / 1e6;
            if (n < IcmpHeader.LEN + 20 + 8) {
                continue;
            }
            int quoted = IcmpHeader.LEN + (m[IcmpHeader.LEN] & 0x0f) * 4;
            if (quoted + 4 > n || Bytes.get16(m, quoted + 2) != port) {
                continue; // about an earlier probe that came too late
            }
            return new TracerouteResult.Probe(info.from().address(), rtt, annotation(m[0] & 0xff, m[1] & 0xff,
                    Bytes.get16(m, 6), info.from().address() == dst));
        }
    }

    /** Linux traceroute's marks: none for time exceeded or for port unreachable from HOST itself. */
    static String annotation(int type, int code, int mtu, boolean fromDestination) {
        if (type == IcmpHeader.TIME_EXCEEDED) {
            return "";
        }
        if (type != IcmpHeader.DEST_UNREACHABLE) {
            return "!<" + type + ">";
        }
        return switch (code) {
            case 3 -> fromDestination ? "" : "!";
            case 0, 6 -> "!N";
            case 1, 7 -> "!H";
            case 2 -> "!P";
            case 4 -> "!F-" + mtu;
            case 5 -> "!S";
            case 9, 10, 13 -> "!X";
            case 14 -> "!V";
            case 15 -> "!C";
            default -> "!<" + code + ">";
        };
    }

    private static int integer(String option, String value, int min, int max) {
        try {
            int v = Integer.parseInt(value.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException notANumber) {
            // refused below
        }
        throw new IllegalArgumentException("traceroute: " + option + " must be " + min + ".." + max + ", got '"
                + value + "'");
    }

    private static double seconds(String value) {
        try {
            double v = Double.parseDouble(value.trim());
            if (v > 0 && v <= 86400) {
                return v;
            }
        } catch (NumberFormatException notANumber) {
            // refused below
        }
        throw new IllegalArgumentException("traceroute: -w must be more than 0 and at most 86400 seconds, got '"
                + value + "'");
    }
}
