package netkit.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.function.Supplier;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.protocol.IpMeta;
import netkit.api.spi.protocol.ProtocolInstance;
import netkit.api.spi.protocol.StackContext;
import netkit.api.spi.protocol.TransportProtocol;
import netkit.api.stats.IpCounter;
import netkit.stack.testing.RawProtocol;
import netkit.stack.testing.TestNet;
import org.junit.jupiter.api.Test;

/** A protocol's receive that throws costs its frame only, never the interface's receive path. */
class RxFaultTest {
    /** A raw protocol whose first {@code receive} throws what {@code fault} makes. */
    static final class ThrowingProtocol implements TransportProtocol {
        private final RawProtocol raw = new RawProtocol();
        private final Supplier<Throwable> fault;
        RawProtocol.Instance inner;

        ThrowingProtocol(Supplier<Throwable> fault) {
            this.fault = fault;
        }

        @Override
        public String name() {
            return raw.name();
        }

        @Override
        public int family() {
            return raw.family();
        }

        @Override
        public int type() {
            return raw.type();
        }

        @Override
        public int protocol() {
            return raw.protocol();
        }

        @Override
        public boolean defaultForType() {
            return false;
        }

        @Override
        public ProtocolInstance attach(StackContext stack) {
            inner = (RawProtocol.Instance) raw.attach(stack);
            return new ProtocolInstance() {
                private boolean thrown;

                @Override
                public netkit.api.spi.protocol.ProtocolSocket open(netkit.api.spi.protocol.SocketOptions o) {
                    return inner.open(o);
                }

                @Override
                public void receive(PacketBuffer packet, IpMeta ip) {
                    if (!thrown) {
                        thrown = true;
                        sneaky(fault.get());
                    }
                    inner.receive(packet, ip);
                }

                @Override
                public void icmpError(netkit.api.spi.protocol.IcmpError error) {
                    inner.icmpError(error);
                }

                @Override
                public void detach() {
                    inner.detach();
                }
            };
        }

        @SuppressWarnings("unchecked")
        private static <T extends Throwable> void sneaky(Throwable t) throws T {
            throw (T) t;
        }
    }

    private static long ip(Stack s, IpCounter c) {
        return s.admin().statistics().ip().get(c);
    }

    @Test
    void aThrowingReceiveCostsOneFrameAndTheNextIsDelivered() throws Exception {
        TestNet net = new TestNet(2);
        RawProtocol sender = new RawProtocol();
        net.stack(0).addProtocol(sender);
        ThrowingProtocol p = new ThrowingProtocol(() -> new IllegalStateException("bug"));
        net.stack(1).addProtocol(p);
        sender.last.sendRaw(TestNet.address(1), new byte[] {1}, false);
        sender.last.sendRaw(TestNet.address(1), new byte[] {2}, false);
        net.run(Duration.ofMillis(10));
        assertEquals(1, p.inner.received.size(), "the second frame is delivered");
        assertEquals(2, p.inner.received.get(0).payload()[0]);
        assertEquals(1, ip(net.stack(1), IpCounter.RX_FAULTS));
        sender.last.sendRaw(TestNet.address(1), new byte[] {3}, false);
        net.run(Duration.ofMillis(10));
        assertEquals(2, p.inner.received.size(), "a later batch is drained too");
        assertNull(net.stack(1).failure());
    }

    @Test
    void aStackOverflowIsContainedLikeAnException() throws Exception {
        TestNet net = new TestNet(2);
        RawProtocol sender = new RawProtocol();
        net.stack(0).addProtocol(sender);
        ThrowingProtocol p = new ThrowingProtocol(StackOverflowError::new);
        net.stack(1).addProtocol(p);
        sender.last.sendRaw(TestNet.address(1), new byte[] {1}, false);
        sender.last.sendRaw(TestNet.address(1), new byte[] {2}, false);
        net.run(Duration.ofMillis(10));
        assertEquals(1, p.inner.received.size());
        assertEquals(1, ip(net.stack(1), IpCounter.RX_FAULTS));
    }

    @Test
    void anOutOfMemoryErrorFailsTheStackVisibly() throws Exception {
        TestNet net = new TestNet(2);
        RawProtocol sender = new RawProtocol();
        net.stack(0).addProtocol(sender);
        OutOfMemoryError oom = new OutOfMemoryError("test");
        ThrowingProtocol p = new ThrowingProtocol(() -> oom);
        net.stack(1).addProtocol(p);
        sender.last.sendRaw(TestNet.address(1), new byte[] {1}, false);
        sender.last.sendRaw(TestNet.address(1), new byte[] {2}, false);
        assertSame(oom, assertThrows(OutOfMemoryError.class, () -> net.run(Duration.ofMillis(10))),
                "the error reaches the loop");
        assertSame(oom, net.stack(1).failure());
        net.run(Duration.ofMillis(10));
        long dropped = net.stack(1).iface("eth0").status().counters().rxDropped();
        sender.last.sendRaw(TestNet.address(1), new byte[] {3}, false);
        net.run(Duration.ofMillis(10));
        assertEquals(0, p.inner.received.size(), "a failed stack receives nothing more");
        assertEquals(dropped + 1, net.stack(1).iface("eth0").status().counters().rxDropped());
        assertNotNull(net.stack(1).failure());
    }

    /**
     * An OutOfMemoryError in a timer (a TCP retransmission building its segment, say) fails the
     * stack as one in a received frame does, instead of leaving it running in an unknown state
     * with only a log line to tell (#13).
     */
    @Test
    void anOutOfMemoryErrorInATimerFailsTheStackVisibly() throws Exception {
        TestNet net = new TestNet(2);
        OutOfMemoryError oom = new OutOfMemoryError("test");
        net.stack(1).context().schedule(1_000_000, () -> {
            throw oom;
        });
        assertSame(oom, assertThrows(OutOfMemoryError.class, () -> net.run(Duration.ofMillis(10))),
                "the error reaches the loop");
        assertSame(oom, net.stack(1).failure());
        assertNull(net.stack(0).failure(), "the other stack is not concerned");
        net.stack(0).context().schedule(1_000_000, () -> {
            throw new StackOverflowError();
        });
        assertThrows(StackOverflowError.class, () -> net.run(Duration.ofMillis(10)));
        assertNull(net.stack(0).failure(), "a StackOverflowError is a bug's, not the stack's end");
    }
}
