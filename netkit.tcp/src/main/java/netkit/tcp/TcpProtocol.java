package netkit.tcp;

import netkit.api.Net;
import netkit.api.spi.protocol.ProtocolInstance;
import netkit.api.spi.protocol.StackContext;
import netkit.api.spi.protocol.TransportProtocol;

/** TCP (RFC 9293): {@code socket(AF_INET, SOCK_STREAM, 0 or IPPROTO_TCP)}. */
public class TcpProtocol implements TransportProtocol {
    private volatile TcpSettings settings;

    /** TCP with default settings. */
    public TcpProtocol() {
        this(TcpSettings.defaults());
    }

    /** TCP with {@code settings}. */
    public TcpProtocol(TcpSettings settings) {
        this.settings = settings;
    }

    /** Current settings. */
    public TcpSettings settings() {
        return settings;
    }

    /** Changes settings (new connections and timers use them). */
    public void settings(TcpSettings s) {
        this.settings = s;
    }

    @Override
    public String name() {
        return "tcp";
    }

    @Override
    public int family() {
        return Net.AF_INET;
    }

    @Override
    public int type() {
        return Net.SOCK_STREAM;
    }

    @Override
    public int protocol() {
        return Net.IPPROTO_TCP;
    }

    @Override
    public boolean defaultForType() {
        return true;
    }

    @Override
    public ProtocolInstance attach(StackContext stack) {
        return new TcpInstance(stack, this);
    }
}
