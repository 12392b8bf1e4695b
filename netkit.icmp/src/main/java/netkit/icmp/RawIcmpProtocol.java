package netkit.icmp;

import netkit.api.Net;
import netkit.api.spi.protocol.ProtocolInstance;
import netkit.api.spi.protocol.StackContext;
import netkit.api.spi.protocol.TransportProtocol;

/**
 * Raw ICMP sockets, {@code socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)}, as Linux's raw(7): the
 * application sends whole ICMP messages (the stack adds the IPv4 header) and receives a copy of
 * every ICMP datagram this host receives, IPv4 header included, beside the stack's own handling
 * (echo requests are still answered by {@link IcmpProtocol}). Linux requires {@code CAP_NET_RAW};
 * netkit has no users, so raw sockets are allowed unless {@link #allowed(boolean)} turns them off
 * (then {@code socket} gives EPERM, as Linux without the capability).
 */
public class RawIcmpProtocol implements TransportProtocol {
    /** The protocol's name, shown by netstat and listed in {@code netkit.protocols}. */
    public static final String NAME = "raw";

    private volatile boolean allowed = true;

    /** Whether new raw sockets may be opened (sockets already open stay). */
    public void allowed(boolean rawSocketsAllowed) {
        this.allowed = rawSocketsAllowed;
    }

    boolean allowed() {
        return allowed;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int family() {
        return Net.AF_INET;
    }

    @Override
    public int type() {
        return Net.SOCK_RAW;
    }

    @Override
    public int protocol() {
        return Net.IPPROTO_ICMP;
    }

    @Override
    public boolean defaultForType() {
        return false;
    }

    @Override
    public ProtocolInstance attach(StackContext stack) {
        return new RawIcmpInstance(stack, this);
    }
}
