package netkit.tcp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.admin.SocketStatus;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.protocol.IcmpError;
import netkit.api.spi.protocol.IpMeta;
import netkit.api.spi.support.PortTable;
import netkit.api.spi.protocol.ProtocolInstance;
import netkit.api.spi.protocol.ProtocolSocket;
import netkit.api.spi.protocol.SocketOptions;
import netkit.api.spi.protocol.StackContext;
import netkit.api.stats.CounterSet;
import netkit.api.stats.CounterSnapshot;
import netkit.api.stats.TcpCounter;
import netkit.api.wire.TcpHeader;
import netkit.api.wire.TcpOptions;

/**
 * TCP on one stack: received segments are checked and demultiplexed through the
 * {@link ConnectionTable} to a connection ({@link TcpInput}), else to a listener
 * ({@link PassiveOpen}), else answered with a reset ({@link Resets}); ICMP errors go to the
 * connection they quote ({@link IcmpErrors}). Also the stack's TCP sockets, ISNs (RFC 6528), the
 * memory bound and the counters (RFC 4022 names).
 */
final class TcpInstance implements ProtocolInstance {
    final StackContext ctx;
    final PortTable<TcpSocket> ports;
    final ConnectionTable connections = new ConnectionTable(this);
    final Resets resets;
    final PassiveOpen passiveOpen;
    final Orphans orphans = new Orphans(this);
    final EphemeralPorts ephemeralPorts;
    private final TcpProtocol protocol;
    private final Set<TcpSocket> sockets = new LinkedHashSet<>(); // open and accepted; removed on close
    private final TcpHeader header = new TcpHeader();
    private final TcpOptions opts = new TcpOptions();
    private final ConnectionKey.Probe probe = new ConnectionKey.Probe();
    /** SACK blocks of the segment being built ({@link TcpSender}): no array per segment. */
    final int[] sackScratch = new int[2 * TcpOptions.MAX_SACK_BLOCKS];
    private final SynCookies cookies;
    private final IsnGenerator isns;
    private final KeyedHash tsOffsets;
    private boolean detached;
    private final CounterSet<TcpCounter> counters = new CounterSet<>(TcpCounter.class);
    private final MemoryAccount memory;
    private final SendRings sendRings;
    private final SegmentRecords segmentRecords = new SegmentRecords();
    private final SpareArrays<PacketBuffer> receiveRings = new SpareArrays<>(PacketBuffer[]::new);

    TcpInstance(StackContext ctx, TcpProtocol protocol) {
        this.ctx = ctx;
        this.protocol = protocol;
        this.ports = new PortTable<>(ctx::isLocalAddress, ctx.secureRandom());
        long now = ctx.loop().nanoTime();
        this.cookies = new SynCookies(new RotatingKey(ctx.secureRandom(), now), this::keyRotationNanos);
        this.isns = new IsnGenerator(new RotatingKey(ctx.secureRandom(), now), this::keyRotationNanos);
        this.tsOffsets = new KeyedHash(ctx.secureRandom()); // never rotated: see IsnGenerator
        this.ephemeralPorts = new EphemeralPorts(this, ctx.secureRandom());
        this.memory = new MemoryAccount(protocol.settings().memoryLimit());
        this.sendRings = new SendRings(memory);
        this.resets = new Resets(this);
        this.passiveOpen = new PassiveOpen(this, cookies);
    }

    TcpSettings settings() {
        return protocol.settings();
    }

    MemoryAccount memory() {
        return memory;
    }

    /** The spare records of the connections' logs of sent segments (SACK recovery). Caller holds the stack lock. */
    SegmentRecords segmentRecords() {
        return segmentRecords;
    }

    /** The spare in-order rings of the connections' receive buffers. Caller holds the stack lock. */
    SpareArrays<PacketBuffer> receiveRings() {
        return receiveRings;
    }

    SendRings sendRings() {
        return sendRings;
    }

    private long keyRotationNanos() {
        return settings().isnKeyRotationMinutes() * 60_000_000_000L;
    }

    boolean underMemoryPressure() {
        memory.limit(settings().memoryLimit());
        return memory.underPressure();
    }

    void count(TcpCounter counter) {
        counters.inc(counter);
    }

    void count(TcpCounter counter, long n) {
        counters.add(counter, n);
    }

    /** HyStart++ ended a slow start at {@code cwndSegments} (TCPHystartDelayDetect, TCPHystartDelayCwnd). */
    void hyStartExit(long cwndSegments) {
        counters.inc(TcpCounter.HYSTART_DELAY_DETECT);
        counters.add(TcpCounter.HYSTART_DELAY_CWND, cwndSegments);
    }

    @Override
    public ProtocolSocket open(SocketOptions options) throws ErrnoException {
        ctx.lock().lock();
        try {
            if (detached) {
                throw new ErrnoException(Errno.ENETDOWN);
            }
            TcpSocket s = new TcpSocket(this, options);
            track(s);
            return s;
        } finally {
            ctx.lock().unlock();
        }
    }

    /** Lists a socket (opened or accepted) among those detached when TCP leaves. Caller holds the stack lock. */
    void track(TcpSocket s) {
        sockets.add(s);
    }

    void forget(TcpSocket s) {
        sockets.remove(s);
    }

    // ---- receive ----------------------------------------------------------------------------

    /**
     * Options left when the scan for an illegal length stops: Linux (6.7 and later, built with
     * TCP-AO) looks for the authentication options of every segment (RFC 5925, RFC 2385;
     * {@code tcp_do_parse_auth_options}) while room for the smallest one, 5 bytes, remains, and
     * drops the segment when an option there has a length below 2 or past the option area; a kernel
     * built with TCP-MD5 only scans while 18 bytes remain.
     */
    static final int AUTH_SCAN_MIN = 5;

    /**
     * Whether a segment's options hold an illegal length (RFC 9293 MUST-7) where Linux drops the
     * segment for it: an option of length below 2, or running past the option area, that starts
     * with at least {@link #AUTH_SCAN_MIN} bytes of options left. One nearer the end only ends
     * {@link TcpOptions#parse}, and the segment is processed with the options before it.
     */
    static boolean illegalOptionLength(byte[] b, int off, int len) {
        int end = off + len;
        for (int i = off; end - i >= AUTH_SCAN_MIN;) {
            int kind = b[i] & 0xff;
            if (kind == TcpOptions.END) {
                return false;
            }
            if (kind == TcpOptions.NOP) {
                i++;
                continue;
            }
            int olen = b[i + 1] & 0xff;
            if (olen < 2 || olen > end - i) {
                return true;
            }
            i += olen;
        }
        return false;
    }

    @Override
    public void receive(PacketBuffer packet, IpMeta ip) {
        boolean kept = false;
        try {
            count(TcpCounter.IN_SEGS);
            byte[] a = packet.array();
            int at = packet.offset();
            int len = packet.length();
            if (!header.wrap(a, at, len)) {
                count(TcpCounter.IN_ERRS);
                return;
            }
            if (!ip.checksumNotNeeded() && !TcpHeader.verify(a, at, len, ip.source(), ip.destination())) {
                count(TcpCounter.IN_CSUM_ERRORS);
                count(TcpCounter.IN_ERRS);
                return;
            }
            if (illegalOptionLength(a, header.optionsOffset(), header.optionsLength())) {
                count(TcpCounter.IN_ERRS); // dropped, answered by nothing (MUST-7, as Linux)
                return;
            }
            // An illegal length nearer the end ends the parsing, not the segment (Linux's
            // tcp_parse_options): the options before it count.
            opts.parse(a, header.optionsOffset(), header.optionsLength());
            if (ip.broadcast()) {
                return; // TCP never answers broadcasts (RFC 1122 §4.2.3.10)
            }
            ConnectionKey.Probe key = probe.set(ip.destination(), header.destinationPort(), ip.source(),
                    header.sourcePort());
            TcpConnection c = connections.get(key);
            if (c == null && connections.timeWaits.size() > 0) {
                TimeWait tw = connections.timeWaits.get(key);
                if (tw != null) {
                    if ((header.flags() & (TcpHeader.SYN | TcpHeader.ACK)) == TcpHeader.SYN
                            && tw.newIncarnation(header, opts)) {
                        connections.timeWaits.remove(tw); // RFC 6191: a new SYN may reuse a TIME_WAIT 4-tuple
                    } else {
                        tw.segmentArrives(this, connections.timeWaits, header, opts);
                        return;
                    }
                }
            }
            if (c != null && c.state == TcpState.TIME_WAIT && (header.flags() & TcpHeader.SYN) != 0
                    && (header.flags() & TcpHeader.ACK) == 0 && newIncarnation(c, header, opts)) {
                connections.destroy(c); // RFC 6191: a new SYN may reuse a TIME_WAIT 4-tuple
                c = null;
            }
            if (c != null) {
                kept = TcpInput.segmentArrives(c, packet, header, opts); // data may stay in the packet
                if (c.state == TcpState.TIME_WAIT && (c.orphan || c.socket == null)) {
                    connections.retire(c); // nobody reads it any more: a compact record will do
                }
                return;
            }
            // an SO_REUSEPORT group of listeners: one chosen by the 4-tuple's hash (Linux)
            TcpSocket owner = ports.lookup(ip.destination(), header.destinationPort(), ip.source(),
                    header.sourcePort(), s -> s.listener() != null);
            if (owner != null && owner.listener() != null) {
                passiveOpen.segmentArrives(owner.listener(), key.key(), header, opts);
                return;
            }
            resets.reply(key.key(), header);
        } finally {
            if (!kept) {
                packet.release();
            }
        }
    }

    /** RFC 6191 §2 for a control block in TIME_WAIT (its socket still open); {@link TimeWait} has its own. */
    private static boolean newIncarnation(TcpConnection tw, TcpHeader h, TcpOptions o) {
        long seq = tw.extendRcv(h.seq());
        return seq > tw.rcvNxt || tw.tsOk && o.hasTimestamps && o.tsVal - tw.tsRecent > 0;
    }

    @Override
    public void icmpError(IcmpError e) {
        ConnectionKey key = IcmpErrors.quotedConnection(e);
        TcpConnection c = key == null ? null : connections.get(key);
        if (c != null) {
            IcmpErrors.deliver(c, e);
        }
    }

    SynCookies cookies() {
        return cookies;
    }

    int isn(ConnectionKey key) {
        return isns.isn(key, ctx.loop().nanoTime());
    }

    /**
     * The offset of a connection's timestamp clock (RFC 7323 §5.4): RFC 6528's ISN function under
     * its own key, a keyed hash of the 4-tuple, so each incarnation of a 4-tuple gets the same one
     * and an off-path attacker can predict none (Linux's {@code secure_tcp_ts_off}, which hashes the
     * address pair only). Its key lives as long as this instance, so the timestamps of successive
     * incarnations of a 4-tuple keep growing across ISN-key rotations (RFC 6191).
     */
    int tsOffset(ConnectionKey key) {
        return tsOffsets.hash(key, 0, 0);
    }

    /**
     * TCP leaves the stack: every connection is aborted as by the application (RFC 9293 §3.10.7
     * ABORT), so peers in SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1/2 or CLOSE-WAIT get a RST at once
     * instead of only ICMP protocol unreachables later; local sockets then fail with ENETDOWN.
     */
    @Override
    public void detach() {
        detached = true;
        for (TcpConnection c : connections.all()) {
            if (abortSendsReset(c.state)) {
                TcpSender.sendReset(c);
            }
            c.error = Errno.ENETDOWN;
            connections.destroy(c); // keeps an open socket's unread data: its detach below gives it back
        }
        connections.timeWaits.clear();
        for (TcpSocket s : new ArrayList<>(sockets)) {
            s.detach();
        }
        sockets.clear();
    }

    /** RFC 9293 §3.10.7 ABORT: CLOSING, LAST-ACK and TIME-WAIT (and SYN-SENT) just delete the TCB. */
    private static boolean abortSendsReset(TcpState s) {
        return switch (s) {
            case SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT -> true;
            default -> false;
        };
    }

    @Override
    public List<SocketStatus> orphans() {
        return orphans.statuses();
    }

    @Override
    public Optional<CounterSnapshot<?>> counters() {
        return Optional.of(counters.snapshot().with(TcpCounter.MEMORY_BYTES, memory.used())
                .with(TcpCounter.CURR_ESTAB, connections.established()).with(TcpCounter.ORPHANS, orphans.count())
                .with(TcpCounter.TIME_WAIT, connections.timeWaitCount()));
    }
}
