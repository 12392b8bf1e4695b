package netkit.stack.ip;

import java.util.Arrays;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import netkit.api.Errno;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.protocol.IcmpError;
import netkit.api.spi.protocol.IpMeta;
import netkit.api.spi.protocol.ProtocolInstance;
import netkit.api.stats.CounterSet;
import netkit.api.stats.IcmpCounter;
import netkit.api.wire.Checksum;
import netkit.api.wire.IcmpHeader;
import netkit.api.wire.Ipv4Packet;

/**
 * Receives ICMP error messages (RFC 792: destination unreachable, time exceeded, parameter problem;
 * source quench is counted and discarded, RFC 6633) and passes each to the transport protocol named in the header it quotes (RFC
 * 1122 §3.2.2), as an {@link IcmpError} with the errno a socket reports. ICMP is part of IP, so
 * path-MTU discovery (RFC 1191) and transport soft errors work without the ICMP protocol bundle,
 * which is left echo and ICMP sockets. Redirects are not handled here: a host keeps its routes.
 *
 * <p>A quote is believed only when it names a datagram this host sent (its source is one of our
 * addresses) and is a first fragment (offset 0), so the transport header it carries is real, as
 * Haiku and gVisor check; RFC 5927 §4 describes the blind attacks this narrows. Caller holds the
 * stack lock.
 */
public final class IcmpErrorReceiver {
    private final IntPredicate localAddress;
    private final IntFunction<ProtocolInstance> protocols;
    private final CounterSet<IcmpCounter> counters;
    private final IcmpHeader header = new IcmpHeader();
    private final Ipv4Packet quoted = new Ipv4Packet();

    /**
     * A receiver that checks quoted sources with {@code localAddress}, finds the transport of a
     * quoted protocol number with {@code protocols} (null when none) and counts into the IP layer's
     * ICMP {@code counters} (added to the ICMP protocol's own in the statistics).
     */
    public IcmpErrorReceiver(IntPredicate localAddress, IntFunction<ProtocolInstance> protocols,
            CounterSet<IcmpCounter> counters) {
        this.localAddress = localAddress;
        this.protocols = protocols;
        this.counters = counters;
    }

    /** Whether the ICMP message at {@code icmp[off..off+len)} is an error handled here. */
    public boolean handles(byte[] icmp, int off, int len) {
        if (!header.wrap(icmp, off, len)) {
            return false; // too short for any type: the ICMP protocol counts it
        }
        int type = header.type();
        return type == IcmpHeader.DEST_UNREACHABLE || type == IcmpHeader.SOURCE_QUENCH
                || type == IcmpHeader.TIME_EXCEEDED || type == IcmpHeader.PARAMETER_PROBLEM;
    }

    /** Handles an error message that {@link #handles} accepted (offset at its ICMP header); takes the buffer. */
    public void receive(PacketBuffer icmp, IpMeta ip) {
        try {
            byte[] a = icmp.array();
            int at = icmp.offset();
            int len = icmp.length();
            header.wrap(a, at, len);
            counters.inc(IcmpCounter.IN_MSGS);
            if (!ip.checksumNotNeeded() && !Checksum.verifies(Checksum.add(0, a, at, len))) {
                counters.inc(IcmpCounter.IN_CSUM_ERRORS);
                counters.inc(IcmpCounter.IN_ERRORS);
                return;
            }
            int type = header.type();
            int code = header.code();
            if (type == IcmpHeader.SOURCE_QUENCH) {
                return; // RFC 6633 §2: deprecated; silently discarded, no transport hears of it
            }
            if (type == IcmpHeader.DEST_UNREACHABLE) {
                counters.inc(IcmpCounter.IN_DEST_UNREACHS);
            } else if (type == IcmpHeader.TIME_EXCEEDED) {
                counters.inc(IcmpCounter.IN_TIME_EXCDS);
            }
            int quoteAt = at + IcmpHeader.LEN;
            int quoteLen = len - IcmpHeader.LEN;
            // RFC 792: the quote holds the datagram's IP header and the first 8 bytes of its data.
            quoted.wrap(a, quoteAt, quoteLen);
            if (quoteLen < Ipv4Packet.MIN_HEADER_LEN || quoted.version() != 4
                    || quoted.headerLength() < Ipv4Packet.MIN_HEADER_LEN || quoted.headerLength() + 8 > quoteLen) {
                counters.inc(IcmpCounter.IN_ERRORS);
                return;
            }
            int nextHopMtu = type == IcmpHeader.DEST_UNREACHABLE && code == IcmpHeader.CODE_FRAGMENTATION_NEEDED
                    ? header.nextHopMtu() : 0;
            byte[] quote = Arrays.copyOfRange(a, quoteAt, quoteAt + quoteLen);
            if (!dispatch(new IcmpError(type, code, errno(type, code), hard(type, code), nextHopMtu, ip.source(),
                    quote, 0, quote.length))) {
                counters.inc(IcmpCounter.IN_ERRORS);
            }
        } finally {
            icmp.release();
        }
    }

    /**
     * One of our own datagrams could not reach its next hop (ARP resolution failed): tells its
     * transport as a host unreachable reported by {@code reporter}, without sending anything to
     * ourselves (RFC 1122 §2.3.2.2, §3.2.2.1).
     */
    public void hostUnreachable(byte[] datagram, int reporter) {
        dispatch(new IcmpError(IcmpHeader.DEST_UNREACHABLE, IcmpHeader.CODE_HOST_UNREACHABLE, Errno.EHOSTUNREACH,
                false, 0, reporter, datagram, 0, datagram.length));
    }

    /** Passes {@code e} to the quoted transport if the quote is believable; returns whether it was. */
    private boolean dispatch(IcmpError e) {
        quoted.wrap(e.quote(), e.quoteOffset(), e.quoteLength());
        if (e.quoteLength() < Ipv4Packet.MIN_HEADER_LEN || !localAddress.test(quoted.source())
                || quoted.fragmentOffset() != 0) {
            return false;
        }
        ProtocolInstance p = protocols.apply(quoted.protocol());
        if (p != null) {
            p.icmpError(e);
        }
        return true;
    }

    /**
     * What an error means to a socket (RFC 1122 §4.2.3.9 and §4.1.3.3; the choices follow Linux's
     * icmp_err_convert so applications see familiar values).
     */
    static Errno errno(int type, int code) {
        if (type != IcmpHeader.DEST_UNREACHABLE) {
            return Errno.EHOSTUNREACH; // time exceeded, parameter problem
        }
        return switch (code) {
            case IcmpHeader.CODE_NET_UNREACHABLE, IcmpHeader.CODE_NET_UNKNOWN, IcmpHeader.CODE_NET_PROHIBITED,
                    IcmpHeader.CODE_NET_UNREACHABLE_FOR_TOS -> Errno.ENETUNREACH;
            case IcmpHeader.CODE_PROTOCOL_UNREACHABLE -> Errno.ENOPROTOOPT;
            case IcmpHeader.CODE_PORT_UNREACHABLE -> Errno.ECONNREFUSED;
            case IcmpHeader.CODE_FRAGMENTATION_NEEDED -> Errno.EMSGSIZE;
            case IcmpHeader.CODE_SOURCE_ROUTE_FAILED -> Errno.EOPNOTSUPP;
            case IcmpHeader.CODE_HOST_UNKNOWN -> Errno.EHOSTDOWN;
            default -> Errno.EHOSTUNREACH;
        };
    }

    /** RFC 1122 §4.2.3.9: protocol and port unreachable and fragmentation needed are hard errors. */
    static boolean hard(int type, int code) {
        return type == IcmpHeader.DEST_UNREACHABLE && (code == IcmpHeader.CODE_PROTOCOL_UNREACHABLE
                || code == IcmpHeader.CODE_PORT_UNREACHABLE || code == IcmpHeader.CODE_FRAGMENTATION_NEEDED);
    }
}
