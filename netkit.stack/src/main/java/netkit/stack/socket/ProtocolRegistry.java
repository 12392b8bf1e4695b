package netkit.stack.socket;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.spi.protocol.ProtocolInstance;
import netkit.api.spi.protocol.StackContext;
import netkit.api.spi.protocol.TransportProtocol;

/**
 * The transport protocols present on a stack, keyed like Haiku's protocol chains by (family, type,
 * protocol). The first registered protocol for a triple is active; a later one stands by and takes
 * over when the active one leaves. Used under the stack lock.
 */
public final class ProtocolRegistry {
    private final List<TransportProtocol> registered = new ArrayList<>();
    private final Map<TransportProtocol, ProtocolInstance> active = new IdentityHashMap<>();
    private final ProtocolInstance[] byIpNumber = new ProtocolInstance[256];
    /** The active {@code SOCK_RAW} protocol of each IP protocol number, shown its datagrams too. */
    private final ProtocolInstance[] rawByIpNumber = new ProtocolInstance[256];
    private final StackContext context;

    /** A registry attaching protocols to {@code context}. */
    public ProtocolRegistry(StackContext context) {
        this.context = context;
    }

    /**
     * Adds a protocol; attaches it unless another serves the same triple. Returns whether it was
     * attached (false: it stands by).
     */
    public boolean add(TransportProtocol p) {
        registered.add(p);
        if (activeFor(p.family(), p.type(), p.protocol()) == null) {
            attach(p);
            return true;
        }
        return false;
    }

    /** The active protocol serving {@code p}'s triple, or null. */
    public TransportProtocol activeFor(TransportProtocol p) {
        return activeFor(p.family(), p.type(), p.protocol());
    }

    /**
     * Removes a protocol; returns its instance if it was active (the caller detaches the sockets),
     * after attaching a standby for the same triple if there is one.
     */
    public ProtocolInstance remove(TransportProtocol p) {
        registered.remove(p);
        ProtocolInstance inst = active.remove(p);
        if (inst != null) {
            int n = p.protocol() & 0xff;
            if (byIpNumber[n] == inst) {
                byIpNumber[n] = null;
            }
            if (rawByIpNumber[n] == inst) {
                rawByIpNumber[n] = null;
            }
            for (TransportProtocol standby : registered) {
                if (standby.family() == p.family() && standby.type() == p.type()
                        && standby.protocol() == p.protocol()) {
                    attach(standby);
                    break;
                }
            }
        }
        return inst;
    }

    private TransportProtocol activeFor(int family, int type, int protocol) {
        for (TransportProtocol a : active.keySet()) {
            if (a.family() == family && a.type() == type && a.protocol() == protocol) {
                return a;
            }
        }
        return null;
    }

    private void attach(TransportProtocol p) {
        ProtocolInstance inst = p.attach(context);
        active.put(p, inst);
        (p.type() == Net.SOCK_RAW ? rawByIpNumber : byIpNumber)[p.protocol() & 0xff] = inst;
    }

    /** The instance receiving IP protocol {@code number}, or null. */
    public ProtocolInstance byIpNumber(int number) {
        return byIpNumber[number & 0xff];
    }

    /** The {@code SOCK_RAW} instance shown the datagrams of IP protocol {@code number}, or null. */
    public ProtocolInstance rawByIpNumber(int number) {
        return rawByIpNumber[number & 0xff];
    }

    /**
     * Resolves {@code socket(family, type, protocol)} to an active protocol.
     *
     * @throws ErrnoException EAFNOSUPPORT, EPROTOTYPE, EPROTONOSUPPORT as the Network Kit and POSIX
     *                        say
     */
    public TransportProtocol resolve(int family, int type, int protocol) throws ErrnoException {
        if (family != Net.AF_INET) {
            throw new ErrnoException(Errno.EAFNOSUPPORT, "family " + family);
        }
        if (type != Net.SOCK_STREAM && type != Net.SOCK_DGRAM && type != Net.SOCK_RAW) {
            throw new ErrnoException(Errno.EPROTOTYPE, "type " + type);
        }
        if (type == Net.SOCK_RAW) {
            // Linux serves raw sockets of any protocol but 0; netkit only those a bundle registers
            // (IPPROTO_ICMP, from netkit.icmp): the rest is EPROTONOSUPPORT, never EPROTOTYPE.
            for (TransportProtocol p : active.keySet()) {
                if (p.family() == family && p.type() == type && p.protocol() == protocol && protocol != 0) {
                    return p;
                }
            }
            throw new ErrnoException(Errno.EPROTONOSUPPORT, "no raw sockets of protocol " + protocol
                    + (protocol == Net.IPPROTO_ICMP ? " (the ICMP bundle is not there)" : " (only IPPROTO_ICMP)"));
        }
        if (protocol == Net.IPPROTO_TCP && type != Net.SOCK_STREAM
                || (protocol == Net.IPPROTO_UDP || protocol == Net.IPPROTO_ICMP) && type != Net.SOCK_DGRAM) {
            throw new ErrnoException(Errno.EPROTOTYPE, "protocol " + protocol + " does not fit type " + type);
        }
        for (TransportProtocol p : active.keySet()) {
            if (p.family() == family && p.type() == type
                    && (p.protocol() == protocol || protocol == 0 && p.defaultForType())) {
                return p;
            }
        }
        throw new ErrnoException(Errno.EPROTONOSUPPORT,
                "no protocol bundle serves (" + family + ", " + type + ", " + protocol + ")");
    }

    /** The instance of an active protocol. */
    public ProtocolInstance instance(TransportProtocol p) {
        return active.get(p);
    }

    /** Active protocols and their instances. */
    public Map<TransportProtocol, ProtocolInstance> active() {
        return new IdentityHashMap<>(active);
    }
}
