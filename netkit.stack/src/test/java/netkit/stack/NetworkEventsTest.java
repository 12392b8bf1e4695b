package netkit.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import netkit.api.SockAddr;
import netkit.api.admin.DynamicAddress;
import netkit.api.admin.NetworkEvent;
import netkit.api.spi.link.Link;
import netkit.api.spi.link.LinkConfig;
import netkit.api.spi.link.LinkDriver;
import netkit.api.spi.link.LinkReceiver;
import netkit.api.time.SimulatedLoop;
import netkit.link.pair.PairDriver;
import netkit.link.wire.WireDriver;
import netkit.link.wire.WireHub;
import netkit.stack.iface.InterfaceConfig;
import netkit.stack.testing.RawProtocol;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stack's {@link NetworkEvent}s: what each change reports, in order, and how they are delivered. */
class NetworkEventsTest {
    private final SimulatedLoop loop = new SimulatedLoop();
    private final WireDriver wire = new WireDriver(new WireHub(loop));
    private final PairDriver pair = new PairDriver();
    private Stack stack;
    private final List<NetworkEvent> events = new ArrayList<>();
    private final AtomicBoolean lockHeldInListener = new AtomicBoolean();

    @BeforeEach
    void stack() {
        stack = new Stack("ev", loop, StackSettings.defaults(), 1);
        stack.admin().addListener(e -> {
            lockHeldInListener.compareAndSet(false, stack.lock().isHeldByCurrentThread());
            events.add(e);
        });
        stack.addDriver(wire);
    }

    private static InterfaceConfig eth0(String driver, String address, boolean up) {
        int slash = address.indexOf('/');
        return new InterfaceConfig("eth0", driver, address.isEmpty() ? 0 : SockAddr.parseAddress(address.substring(0, slash)),
                address.isEmpty() ? 0 : Integer.parseInt(address.substring(slash + 1)), 0, 0, 0x020000000101L, up,
                Map.of());
    }

    /** The topics delivered since the last call, in order. */
    private List<String> topics() {
        loop.runUntilIdle();
        List<String> out = events.stream().map(NetworkEvent::topic).toList();
        return out;
    }

    private NetworkEvent last(String topic) {
        NetworkEvent found = null;
        for (NetworkEvent e : events) {
            if (e.topic().equals(topic)) {
                found = e;
            }
        }
        return found;
    }

    private List<String> next() {
        List<String> t = topics();
        return t;
    }

    @Test
    void anInterfaceIsAddedComesUpAndGetsItsAddress() {
        stack.configure(eth0("wire", "10.0.0.1/24", true));
        assertTrue(events.isEmpty(), "delivered on the loop, not by the configuring call");
        assertEquals(List.of(NetworkEvent.INTERFACE_ADDED, NetworkEvent.INTERFACE_UP, NetworkEvent.ADDRESS_ADDED), next());
        NetworkEvent a = last(NetworkEvent.ADDRESS_ADDED);
        assertEquals("10.0.0.1/24", a.get(NetworkEvent.ADDRESS));
        assertEquals("eth0", a.get(NetworkEvent.INTERFACE));
        assertEquals("wire", a.get(NetworkEvent.DRIVER));
        assertEquals("ev", a.get(NetworkEvent.STACK));
        assertEquals("static", a.get(NetworkEvent.ORIGIN));
        assertFalse(lockHeldInListener.get(), "listeners run without the stack lock");
    }

    @Test
    void addressChangesDownUpAndRemoval() {
        stack.configure(eth0("wire", "10.0.0.1/24", true));
        topics();
        events.clear();
        stack.configure(eth0("wire", "10.0.0.2/16", true));
        assertEquals(List.of(NetworkEvent.ADDRESS_CHANGED), next());
        assertEquals("10.0.0.2/16", events.get(0).get(NetworkEvent.ADDRESS));
        assertEquals("10.0.0.1/24", events.get(0).get(NetworkEvent.PREVIOUS_ADDRESS));
        events.clear();
        stack.configure(eth0("wire", "10.0.0.2/16", true)); // the same again: nothing to tell
        assertEquals(List.of(), next());
        stack.configure(eth0("wire", "10.0.0.2/16", false));
        assertEquals(List.of(NetworkEvent.INTERFACE_DOWN), next());
        assertEquals("set down", events.get(0).get(NetworkEvent.REASON));
        events.clear();
        stack.configure(eth0("wire", "", true));
        assertEquals(List.of(NetworkEvent.INTERFACE_UP, NetworkEvent.ADDRESS_REMOVED), next());
        assertEquals("10.0.0.2/16", events.get(1).get(NetworkEvent.ADDRESS));
        events.clear();
        stack.configure(eth0("wire", "10.0.0.3/24", true));
        stack.removeInterface("eth0");
        assertEquals(List.of(NetworkEvent.ADDRESS_ADDED, NetworkEvent.ADDRESS_REMOVED, NetworkEvent.INTERFACE_DOWN,
                NetworkEvent.INTERFACE_REMOVED), next());
    }

    @Test
    void aDriverSwapAndADriverLeavingAndComingBack() {
        stack.configure(eth0("wire", "10.0.0.1/24", true));
        stack.addDriver(pair);
        topics();
        events.clear();
        stack.configure(eth0("pair", "10.0.0.1/24", true));
        assertEquals(List.of(NetworkEvent.LINK_SWAPPED), next());
        assertEquals("pair", events.get(0).get(NetworkEvent.DRIVER));
        assertEquals("wire", events.get(0).get(NetworkEvent.PREVIOUS_DRIVER));
        events.clear();
        stack.removeDriver(pair);
        assertEquals(List.of(NetworkEvent.LINK_LOST, NetworkEvent.INTERFACE_DOWN), next());
        assertEquals("driver pair left", events.get(0).get(NetworkEvent.REASON));
        assertEquals("link lost", events.get(1).get(NetworkEvent.REASON));
        events.clear();
        stack.addDriver(pair);
        assertEquals(List.of(NetworkEvent.INTERFACE_UP), next());
        events.clear();
        stack.configure(eth0("absent", "10.0.0.1/24", true));
        assertEquals(List.of(NetworkEvent.LINK_LOST, NetworkEvent.INTERFACE_DOWN), next());
        assertEquals("driver absent is not present", events.get(0).get(NetworkEvent.REASON));
    }

    @Test
    void aLinkThatFailsToOpen() {
        stack.addDriver(new LinkDriver() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public Set<String> parameterKeys() {
                return Set.of();
            }

            @Override
            public Link open(LinkConfig config, LinkReceiver receiver) throws IOException {
                throw new IOException("cannot bind 0.0.0.0:4789: Address already in use");
            }
        });
        stack.configure(eth0("wire", "10.0.0.1/24", true));
        topics();
        events.clear();
        stack.configure(eth0("broken", "10.0.0.1/24", true));
        assertEquals(List.of(NetworkEvent.LINK_FAILED, NetworkEvent.INTERFACE_DOWN), next());
        assertEquals("cannot bind 0.0.0.0:4789: Address already in use", events.get(0).get(NetworkEvent.REASON));
        assertEquals("broken", events.get(0).get(NetworkEvent.DRIVER));
        assertEquals("link failed", events.get(1).get(NetworkEvent.REASON));
    }

    @Test
    void protocolsComeAndGo() {
        RawProtocol raw = new RawProtocol();
        stack.addProtocol(raw);
        stack.removeProtocol(raw);
        assertEquals(List.of(NetworkEvent.PROTOCOL_ADDED, NetworkEvent.PROTOCOL_REMOVED), next());
        assertEquals(raw.name(), events.get(0).get(NetworkEvent.PROTOCOL));
        assertEquals(RawProtocol.NUMBER, events.get(0).get(NetworkEvent.IP_PROTOCOL));
    }

    @Test
    void leasesAreBoundRenewedAndLost() throws Exception {
        stack.configure(eth0("wire", "", true));
        topics();
        events.clear();
        long now = loop.nanoTime();
        long sec = 1_000_000_000L;
        int a = SockAddr.parseAddress("192.168.77.54");
        stack.admin().setDynamicAddress("eth0", new DynamicAddress("dhcp", a, 24, SockAddr.parseAddress("192.168.77.2"),
                0, now + 120 * sec, now + 60 * sec, now + 105 * sec));
        assertEquals(List.of(NetworkEvent.LEASE_BOUND, NetworkEvent.ADDRESS_ADDED), next());
        NetworkEvent bound = events.get(0);
        assertEquals("192.168.77.54/24", bound.get(NetworkEvent.ADDRESS));
        assertEquals("192.168.77.2", bound.get(NetworkEvent.ROUTER));
        assertEquals(120L, bound.get(NetworkEvent.LEASE_SECONDS));
        assertEquals("dhcp", events.get(1).get(NetworkEvent.ORIGIN));
        events.clear();
        stack.admin().setDynamicAddress("eth0", new DynamicAddress("dhcp", a, 24, 0, 0, now + 30 * sec,
                now + 10 * sec, now + 20 * sec));
        assertEquals(List.of(NetworkEvent.LEASE_RENEWED), next());
        events.clear();
        loop.advance(Duration.ofSeconds(31));
        assertEquals(List.of(NetworkEvent.LEASE_LOST, NetworkEvent.ADDRESS_REMOVED), next());
        assertEquals("expired", events.get(0).get(NetworkEvent.REASON));
        events.clear();
        stack.admin().setDynamicAddress("eth0", new DynamicAddress("dhcp", a, 24, 0, 0, loop.nanoTime() + 30 * sec,
                0, 0));
        stack.admin().clearDynamicAddress("eth0");
        assertEquals(List.of(NetworkEvent.LEASE_BOUND, NetworkEvent.ADDRESS_ADDED, NetworkEvent.LEASE_LOST,
                NetworkEvent.ADDRESS_REMOVED), next());
        assertEquals("cleared", events.get(2).get(NetworkEvent.REASON));
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheOthers() {
        List<NetworkEvent> second = new ArrayList<>();
        stack.admin().addListener(e -> {
            throw new IllegalStateException("listener bug");
        });
        stack.admin().addListener(second::add);
        stack.configure(eth0("wire", "10.0.0.1/24", true));
        loop.runUntilIdle();
        assertEquals(3, second.size());
        assertEquals(3, events.size());
    }
}
