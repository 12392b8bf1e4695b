package netkit.dhcp;

import static netkit.dhcp.DhcpMessage.*;

import java.util.List;
import java.util.Objects;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.admin.DynamicAddress;
import netkit.api.admin.InterfaceStatus;
import netkit.api.admin.NetworkAdmin;
import netkit.api.netdb.ResolverConfiguration;
import netkit.api.spi.autoconf.ArpProbe;
import netkit.api.spi.autoconf.AutoconfSupport;
import netkit.api.spi.autoconf.InterfacePort;
import netkit.api.spi.protocol.StackContext;
import netkit.api.time.Timer;

/**
 * A DHCPv4 client for one interface (RFC 2131 §4.4, options RFC 2132), in plain Java. It speaks
 * through an interface-bound UDP port 68 of the stack ({@link AutoconfSupport#bind}), so it works
 * before the interface has an address, probes an acknowledged address with ARP before using it
 * (RFC 5227 §2.1.1; DHCPDECLINE when another host has it), installs the lease as the interface's
 * {@link DynamicAddress} (address, prefix, default route, MTU) and keeps it: renewing by unicast
 * from T1, rebinding by broadcast from T2, and removing the address when the lease expires.
 *
 * <p>Time comes only from the stack's loop, randomness (xid, backoff jitter) from the stack's
 * seeded {@link StackContext#random()}. Everything runs under the stack lock: {@link #start} and
 * {@link #stop} take it, received messages and timers hold it.
 */
public final class DhcpClient {
    /** Told of each new, renewed or lost (null) lease. Called with the stack lock held. */
    @FunctionalInterface
    public interface Listener {
        /** The lease of {@code iface} is now {@code lease} (null: none). */
        void leaseChanged(String iface, DhcpLease lease);
    }

    static final int SERVER_PORT = 67;
    static final int CLIENT_PORT = 68;
    /** Transmissions of a DHCPREQUEST (REQUESTING, REBOOTING) before going back to INIT. */
    static final int REQUEST_TRIES = 4;
    static final long SECOND = 1_000_000_000L;
    /** RFC 5227 §1.1 timing: PROBE_WAIT 1 s, PROBE_NUM 3, PROBE_MIN 1 s, PROBE_MAX 2 s, ANNOUNCE_WAIT 2 s. */
    static final int PROBE_NUM = 3;
    /** RFC 2131 §3.1 step 5: wait at least ten seconds after a DHCPDECLINE. */
    static final long DECLINE_WAIT = 10 * SECOND;
    private static final byte[] PARAMETERS = {OPT_SUBNET_MASK, OPT_ROUTER, OPT_DNS, OPT_DOMAIN_NAME, OPT_MTU,
        OPT_LEASE_TIME, OPT_T1, OPT_T2};
    private static final byte[] MAX_SIZE = {0x02, 0x40}; // 576 (RFC 2132 §9.10)

    private final AutoconfSupport support;
    private final NetworkAdmin admin;
    private final String iface;
    private final Listener listener;
    private final StackContext ctx;

    private volatile DhcpState state = DhcpState.STOPPED;
    private volatile DhcpLease lease;
    private InterfacePort port;
    private Timer timer;
    private ArpProbe probe;
    private int xid;
    private long chaddr;
    private int attempts;
    private long exchangeStart;
    private long requestSent;
    /** SELECTING/REQUESTING: the offer taken; REBOOTING: the address asked for. */
    private int offeredAddress;
    private int offerServer;
    /** PROBING: the lease being checked. */
    private DhcpLease candidate;
    private int probesSent;
    private long ignored;
    private final long[] sent = new long[8];

    /**
     * A client for {@code iface} over the stack's {@code support}, installing leases through
     * {@code admin} and telling {@code listener} of them.
     */
    public DhcpClient(AutoconfSupport support, NetworkAdmin admin, String iface, Listener listener) {
        this.support = support;
        this.admin = admin;
        this.iface = iface;
        this.listener = listener;
        this.ctx = support.context();
    }

    /**
     * Starts: from INIT-REBOOT when the interface still holds an unexpired DHCP address (a client
     * stopped without releasing it), else from INIT. Takes the stack lock.
     */
    public void start() {
        ctx.lock().lock();
        try {
            if (state != DhcpState.STOPPED) {
                return;
            }
            int previous = 0;
            for (InterfaceStatus s : admin.interfaces()) {
                if (s.name().equals(iface) && s.lease() != null && s.lease().origin().equals("dhcp")) {
                    previous = s.address();
                }
            }
            state = DhcpState.INIT;
            begin(previous);
        } finally {
            ctx.lock().unlock();
        }
    }

    /**
     * Stops. With {@code release} a bound client sends DHCPRELEASE (RFC 2131 §4.4.6) and the address
     * is removed; without, the address stays until it expires (a later client reboots with it).
     * Takes the stack lock.
     */
    public void stop(boolean release) {
        ctx.lock().lock();
        try {
            if (state == DhcpState.STOPPED) {
                return;
            }
            DhcpLease l = lease;
            if (release && l != null && port != null) {
                Builder b = new Builder(RELEASE, ctx.random().nextInt(), 0, 0, l.address(), port.mac());
                b.address(OPT_SERVER_ID, l.server());
                send(RELEASE, l.address(), l.server(), b);
            }
            cancelTimer();
            closeProbe();
            if (port != null) {
                port.close();
                port = null;
            }
            state = DhcpState.STOPPED;
            if (release && l != null) {
                lose();
            } else if (release) {
                admin.clearDynamicAddress(iface); // a rebooting client's previous address
            }
        } finally {
            ctx.lock().unlock();
        }
    }

    /** The state now. */
    public DhcpState state() {
        return state;
    }

    /** The lease in use (BOUND, RENEWING, REBINDING), or null. */
    public DhcpLease lease() {
        return lease;
    }

    /** The resolver settings of the lease in use, or null. */
    public ResolverConfiguration resolverConfiguration() {
        DhcpLease l = lease;
        return l == null ? null : l.resolverConfiguration();
    }

    /** Replies ignored so far (malformed, wrong xid, chaddr or server, unexpected type). */
    public long ignoredReplies() {
        ctx.lock().lock();
        try {
            return ignored;
        } finally {
            ctx.lock().unlock();
        }
    }

    /** Messages sent so far of DHCP message type {@code type} (1..7). */
    public long sent(int type) {
        ctx.lock().lock();
        try {
            return sent[type];
        } finally {
            ctx.lock().unlock();
        }
    }

    // ---- states ----

    /** Binds port 68 (retried every second while the interface is missing), then INIT or INIT-REBOOT. */
    private void begin(int previous) {
        if (state == DhcpState.STOPPED) {
            return;
        }
        if (port == null) {
            try {
                port = support.bind(iface, CLIENT_PORT, this::receive);
            } catch (ErrnoException e) {
                timer = ctx.schedule(SECOND, () -> begin(previous));
                return;
            }
        }
        if (previous != 0) {
            reboot(previous);
        } else {
            init(0);
        }
    }

    /** INIT: discover after a random 0..1 s (RFC 2131 §4.4.1 desynchronisation, shortened) plus {@code wait}. */
    private void init(long wait) {
        cancelTimer();
        closeProbe();
        candidate = null;
        state = DhcpState.INIT;
        timer = ctx.schedule(wait + (long) (ctx.random().nextDouble() * SECOND), this::discover);
    }

    private void discover() {
        newExchange();
        state = DhcpState.SELECTING;
        sendDiscover();
    }

    private void newExchange() {
        xid = ctx.random().nextInt();
        chaddr = port.mac();
        attempts = 0;
        exchangeStart = ctx.loop().nanoTime();
    }

    private void sendDiscover() {
        send(DISCOVER, 0, Net.INADDR_BROADCAST, message(DISCOVER, 0, FLAG_BROADCAST));
        timer = ctx.schedule(backoff(attempts++), this::sendDiscover); // DISCOVER retransmits for ever
    }

    /** INIT-REBOOT (RFC 2131 §4.4.2): ask for the previous address by broadcast, no server identifier. */
    private void reboot(int previous) {
        newExchange();
        state = DhcpState.REBOOTING;
        offeredAddress = previous;
        offerServer = 0;
        requestSent = exchangeStart;
        sendRequest();
    }

    private void sendRequest() {
        if (attempts >= REQUEST_TRIES) {
            if (state == DhcpState.REBOOTING) {
                lose();
            }
            init(0); // neither DHCPACK nor DHCPNAK (RFC 2131 §3.1 step 5, §3.2 step 5)
            return;
        }
        Builder b = message(REQUEST, 0, FLAG_BROADCAST);
        b.address(OPT_REQUESTED_IP, offeredAddress);
        if (offerServer != 0) {
            b.address(OPT_SERVER_ID, offerServer);
        }
        send(REQUEST, 0, Net.INADDR_BROADCAST, b);
        timer = ctx.schedule(backoff(attempts++), this::sendRequest);
    }

    private void renew() {
        newExchange();
        state = DhcpState.RENEWING;
        requestSent = exchangeStart;
        sendRenew();
    }

    /** RENEWING: unicast to the leasing server; retransmit after half the time to T2, at least 60 s (§4.4.5). */
    private void sendRenew() {
        DhcpLease l = lease;
        send(REQUEST, l.address(), l.server(), message(REQUEST, l.address(), 0));
        scheduleBefore(l.rebindNanos(), this::sendRenew, this::rebind);
    }

    private void rebind() {
        newExchange();
        state = DhcpState.REBINDING;
        requestSent = exchangeStart;
        sendRebind();
    }

    /** REBINDING: broadcast to any server; retransmit after half the remaining lease, at least 60 s. */
    private void sendRebind() {
        DhcpLease l = lease;
        send(REQUEST, l.address(), Net.INADDR_BROADCAST, message(REQUEST, l.address(), 0));
        scheduleBefore(l.expiresNanos(), this::sendRebind, this::expire);
    }

    private void scheduleBefore(long deadline, Runnable again, Runnable atDeadline) {
        long now = ctx.loop().nanoTime();
        long wait = Math.max(60 * SECOND, (deadline - now) / 2);
        timer = now + wait < deadline ? ctx.schedule(wait, again) : ctx.schedule(deadline - now, atDeadline);
    }

    /** The lease ran out (RFC 2131 §4.4.5): the address goes at once, then INIT. */
    private void expire() {
        lose();
        init(0);
    }

    /** PROBING: RFC 5227 §2.1.1, PROBE_WAIT 0..1 s, then three probes 1..2 s apart, then ANNOUNCE_WAIT 2 s. */
    private void probe(DhcpLease l) {
        cancelTimer();
        closeProbe();
        state = DhcpState.PROBING;
        candidate = l;
        probesSent = 0;
        try {
            probe = support.probe(iface, l.address(), this::conflict);
        } catch (ErrnoException e) {
            init(0);
            return;
        }
        timer = ctx.schedule((long) (ctx.random().nextDouble() * SECOND), this::probeStep);
    }

    private void probeStep() {
        if (probesSent < PROBE_NUM) {
            probe.send();
            probesSent++;
            timer = ctx.schedule(probesSent < PROBE_NUM ? SECOND + (long) (ctx.random().nextDouble() * SECOND)
                    : 2 * SECOND, this::probeStep);
            return;
        }
        closeProbe();
        bound(candidate);
    }

    /** Another host has the address: DHCPDECLINE (RFC 2131 §3.1 step 5) and INIT after ten seconds. */
    private void conflict(long mac) {
        if (state != DhcpState.PROBING) {
            return;
        }
        DhcpLease l = candidate;
        closeProbe();
        Builder b = message(DECLINE, 0, 0);
        b.address(OPT_REQUESTED_IP, l.address());
        b.address(OPT_SERVER_ID, l.server());
        send(DECLINE, 0, Net.INADDR_BROADCAST, b);
        if (lease != null) {
            lose(); // a rebooted address someone else has now
        }
        init(DECLINE_WAIT);
    }

    private void bound(DhcpLease l) {
        cancelTimer();
        candidate = null;
        try {
            admin.setDynamicAddress(iface, new DynamicAddress("dhcp", l.address(), l.prefix(), l.router(), l.mtu(),
                    l.expiresNanos(), l.renewNanos(), l.rebindNanos()));
        } catch (ErrnoException | IllegalArgumentException e) {
            lose();
            init(0);
            return;
        }
        DhcpLease old = lease;
        lease = l;
        state = DhcpState.BOUND;
        timer = ctx.schedule(Math.max(0, l.renewNanos() - ctx.loop().nanoTime()), this::renew);
        if (old == null || !old.equals(l)) {
            listener.leaseChanged(iface, l);
        }
    }

    /** The lease is gone: the address leaves the interface and the listener hears of it. */
    private void lose() {
        boolean had = lease != null;
        lease = null;
        admin.clearDynamicAddress(iface);
        if (had) {
            listener.leaseChanged(iface, null);
        }
    }

    // ---- receiving ----

    private void receive(int source, int sourcePort, int destination, byte[] data, int off, int len) {
        DhcpMessage m = sourcePort == SERVER_PORT ? DhcpMessage.parse(data, off, len) : null;
        if (m == null || m.xid != xid || m.chaddr != chaddr || !accept(m)) {
            ignored++;
        }
    }

    /** Acts on a reply of the current exchange; false when it does not fit the state. */
    private boolean accept(DhcpMessage m) {
        int type = m.type();
        int server = m.int32(OPT_SERVER_ID, 0);
        switch (state) {
            case SELECTING -> {
                if (type != OFFER || server == 0 || !usable(m.yiaddr)) {
                    return false;
                }
                cancelTimer();
                offeredAddress = m.yiaddr;
                offerServer = server;
                state = DhcpState.REQUESTING;
                attempts = 0;
                requestSent = ctx.loop().nanoTime();
                sendRequest();
                return true;
            }
            case REQUESTING, REBOOTING -> {
                if (state == DhcpState.REQUESTING && server != offerServer) {
                    return false; // another server's answer to our broadcast REQUEST (RFC 2131 §4.4.1)
                }
                if (type == NAK) {
                    nak();
                    return true;
                }
                DhcpLease l = type == ACK && m.yiaddr == offeredAddress && server != 0 ? lease(m, server) : null;
                if (l == null) {
                    return false;
                }
                probe(l);
                return true;
            }
            case RENEWING, REBINDING -> {
                DhcpLease current = lease;
                if (state == DhcpState.RENEWING && server != 0 && server != current.server()) {
                    return false;
                }
                if (type == NAK) {
                    nak();
                    return true;
                }
                DhcpLease l = type == ACK && m.yiaddr == current.address() ? lease(m, server != 0 ? server
                        : current.server()) : null;
                if (l == null) {
                    return false;
                }
                bound(l);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** DHCPNAK: the address (if any) goes, back to INIT (RFC 2131 §3.1 step 5, §4.4.5). */
    private void nak() {
        closeProbe();
        if (lease != null || state == DhcpState.REBOOTING) {
            lose();
        }
        init(0);
    }

    /** The lease an ACK grants, with options checked (RFC 2132); null when unusable. */
    private DhcpLease lease(DhcpMessage m, int server) {
        // 0xffffffff is "infinite" (RFC 2132 §9.2): held as 68 years, so loop-clock deadlines never overflow
        long leaseSeconds = Math.min(m.int32(OPT_LEASE_TIME, 0) & 0xffffffffL, Integer.MAX_VALUE);
        if (leaseSeconds == 0 || !usable(m.yiaddr)) {
            return null; // RFC 2131 table 3: an ACK to a REQUEST carries the lease time
        }
        long t1 = m.int32(OPT_T1, 0) & 0xffffffffL;
        long t2 = m.int32(OPT_T2, 0) & 0xffffffffL;
        if (t2 == 0 || t2 >= leaseSeconds) {
            t2 = leaseSeconds * 7 / 8; // RFC 2131 §4.4.5 defaults: 0.875 and 0.5 of the lease
        }
        if (t1 == 0 || t1 >= t2) {
            t1 = Math.min(leaseSeconds / 2, t2);
        }
        int prefix = prefix(m.int32(OPT_SUBNET_MASK, 0), m.yiaddr);
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        int router = 0;
        for (int r : m.addresses(OPT_ROUTER)) {
            if (r != m.yiaddr && (r & mask) == (m.yiaddr & mask) && usable(r)) {
                router = r; // the first router on the leased subnet
                break;
            }
        }
        List<Integer> dns = m.addresses(OPT_DNS).stream().filter(DhcpClient::usable).limit(3).toList();
        int mtu = m.int16(OPT_MTU, 0);
        if (mtu < 68) {
            mtu = 0; // RFC 2132 §5.1: at least 68
        }
        String domain = m.text(OPT_DOMAIN_NAME);
        long start = requestSent;
        return new DhcpLease(iface, m.yiaddr, prefix, router, dns, domain, mtu, server, start,
                start + t1 * SECOND, start + t2 * SECOND, start + leaseSeconds * SECOND);
    }

    /** A unicast host address a lease may carry: not 0/8, 127/8, multicast, class E or broadcast. */
    static boolean usable(int a) {
        int first = a >>> 24;
        return first != 0 && first != 127 && first < 224;
    }

    /** The prefix of a contiguous subnet mask, else the classful one (RFC 1122 §3.3.1.1 fallback). */
    static int prefix(int mask, int address) {
        if (mask != 0 && (~mask & (~mask + 1)) == 0) {
            return Integer.bitCount(mask);
        }
        int first = address >>> 24;
        return first < 128 ? 8 : first < 192 ? 16 : 24;
    }

    // ---- sending ----

    private Builder message(int type, int ciaddr, int flags) {
        long secs = Math.min(65535, (ctx.loop().nanoTime() - exchangeStart) / SECOND);
        Builder b = new Builder(type, xid, (int) secs, flags, ciaddr, chaddr);
        b.option(OPT_MAX_SIZE, MAX_SIZE);
        b.option(OPT_PARAMETER_REQUEST, PARAMETERS);
        return b;
    }

    /** Sends; a send that fails (link down, no route) is a lost message the retransmission repeats. */
    private void send(int type, int source, int destination, Builder b) {
        byte[] msg = b.build();
        try {
            port.send(source, destination, SERVER_PORT, msg, 0, msg.length);
            sent[type]++;
        } catch (ErrnoException e) {
            // lost: retransmission (or the next state) tries again
        }
    }

    /** RFC 2131 §4.1: 4 s doubling to 64 s, randomised by -1..+1 s. */
    private long backoff(int attempt) {
        long base = Math.min(64, 4L << Math.min(attempt, 4)) * SECOND;
        return base + (long) ((ctx.random().nextDouble() * 2 - 1) * SECOND);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void closeProbe() {
        if (probe != null) {
            probe.close();
            probe = null;
        }
    }

    @Override
    public String toString() {
        return "DhcpClient[" + iface + " " + state + (lease == null ? "" : " " + Objects.toString(lease)) + "]";
    }
}
