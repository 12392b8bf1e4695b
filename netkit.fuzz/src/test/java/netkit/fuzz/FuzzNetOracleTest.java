package netkit.fuzz;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import netkit.api.Net;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.protocol.IcmpError;
import netkit.api.spi.protocol.IpMeta;
import netkit.api.spi.protocol.ProtocolInstance;
import netkit.api.spi.protocol.ProtocolSocket;
import netkit.api.spi.protocol.SocketOptions;
import netkit.api.spi.protocol.StackContext;
import netkit.api.spi.protocol.TransportProtocol;
import netkit.stack.testing.RawProtocol;
import org.junit.jupiter.api.Test;

/** The fuzz oracle catches what it is there for: a contained fault, an uncounted drop, a leaked buffer. */
class FuzzNetOracleTest {
    /** A protocol on 253 whose receive does what the test says, counting nothing. */
    private static TransportProtocol protocol(BiConsumer<PacketBuffer, IpMeta> receive) {
        return new TransportProtocol() {
            @Override
            public String name() {
                return "oracle253";
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
                return RawProtocol.NUMBER;
            }

            @Override
            public boolean defaultForType() {
                return false;
            }

            @Override
            public ProtocolInstance attach(StackContext stack) {
                return new ProtocolInstance() {
                    @Override
                    public ProtocolSocket open(SocketOptions options) {
                        throw new UnsupportedOperationException();
                    }

                    @Override
                    public void receive(PacketBuffer packet, IpMeta ip) {
                        receive.accept(packet, ip);
                    }

                    @Override
                    public void icmpError(IcmpError error) {
                    }

                    @Override
                    public void detach() {
                    }
                };
            }
        };
    }

    private static void inject253(FuzzNet net) {
        net.injectIp(net.ip(RawProtocol.NUMBER, FuzzNet.INJECTOR, FuzzNet.HOST, new byte[] {1, 2, 3}));
    }

    @Test
    void aContainedFaultFailsTheInput() {
        FuzzNet net = new FuzzNet();
        net.host().addProtocol(protocol((p, ip) -> {
            throw new IllegalStateException("bug");
        }));
        FuzzNet.Counts[] before = net.before();
        inject253(net);
        AssertionError e = assertThrows(AssertionError.class, () -> net.check(before, Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("RxFaults"), e.getMessage());
    }

    @Test
    void aDropWithoutACounterFailsTheInput() {
        FuzzNet net = new FuzzNet();
        net.host().addProtocol(protocol((p, ip) -> p.release()));
        FuzzNet.Counts[] before = net.before();
        inject253(net);
        AssertionError e = assertThrows(AssertionError.class, () -> net.check(before, Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("without a counter"), e.getMessage());
    }

    @Test
    void aLeakedBufferFailsTheHealthCheck() throws Exception {
        FuzzNet net = new FuzzNet();
        List<PacketBuffer> kept = new ArrayList<>();
        net.host().addProtocol(protocol((p, ip) -> kept.add(p)));
        RawProtocol sender = new RawProtocol();
        net.peer().addProtocol(sender);
        sender.last.sendRaw(FuzzNet.HOST, new byte[] {1}, false); // in a buffer of s0's pool
        net.run(Duration.ofMillis(10));
        assertTrue(kept.size() == 1);
        AssertionError e = assertThrows(AssertionError.class, net::verifyHealthy);
        assertTrue(e.getMessage().contains("leaked"), e.getMessage());
    }
}
