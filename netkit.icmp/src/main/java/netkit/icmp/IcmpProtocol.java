package netkit.icmp;

import netkit.api.Net;
import netkit.api.spi.protocol.ProtocolInstance;
import netkit.api.spi.protocol.StackContext;
import netkit.api.spi.protocol.TransportProtocol;

/**
 * ICMP (RFC 792): answers echo requests and serves datagram ICMP sockets,
 * {@code socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)}, for ping. Received ICMP errors are handled by
 * the stack's IP layer, which works without this protocol.
 */
public class IcmpProtocol implements TransportProtocol {
    private volatile boolean answerBroadcastEcho;

    /** Whether echo requests sent to a broadcast address are answered (RFC 1122 §3.2.2.6: MAY). */
    public void answerBroadcastEcho(boolean answer) {
        this.answerBroadcastEcho = answer;
    }

    boolean answerBroadcastEcho() {
        return answerBroadcastEcho;
    }

    @Override
    public String name() {
        return "icmp";
    }

    @Override
    public int family() {
        return Net.AF_INET;
    }

    @Override
    public int type() {
        return Net.SOCK_DGRAM;
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
        return new IcmpInstance(stack, this);
    }
}
