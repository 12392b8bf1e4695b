package netkit.udp;

import netkit.api.Net;
import netkit.api.spi.protocol.ProtocolInstance;
import netkit.api.spi.protocol.StackContext;
import netkit.api.spi.protocol.TransportProtocol;

/** UDP (RFC 768): {@code socket(AF_INET, SOCK_DGRAM, 0 or IPPROTO_UDP)}. */
public class UdpProtocol implements TransportProtocol {
    @Override
    public String name() {
        return "udp";
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
        return Net.IPPROTO_UDP;
    }

    @Override
    public boolean defaultForType() {
        return true;
    }

    @Override
    public ProtocolInstance attach(StackContext stack) {
        return new UdpInstance(stack);
    }
}
