package netkit.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import netkit.api.admin.NetworkAdmin;
import netkit.api.admin.NetworkEvent;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * The runtime's Event Admin gets netkit's events: an {@link EventHandler} subscribed to
 * {@code netkit/*} receives each one with its documented properties (README, "Events").
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class EventsIT extends FrameworkTestSupport {
    @Inject
    BundleContext context;

    private final BlockingQueue<Event> received = new LinkedBlockingQueue<>();
    private ServiceRegistration<EventHandler> handler;

    @Configuration
    public Option[] config() {
        return new Option[] {NetkitOptions.runtime()};
    }

    @Override
    BundleContext context() {
        return context;
    }

    @Before
    public void subscribe() throws Exception {
        service(NetworkAdmin.class);
        Dictionary<String, Object> p = new Hashtable<>();
        p.put(EventConstants.EVENT_TOPIC, NetworkEvent.TOPIC_PREFIX + "*");
        handler = context.registerService(EventHandler.class, received::add, p);
    }

    @After
    public void unsubscribe() {
        handler.unregister();
    }

    /** The next event on {@code topic} about interface {@code iface} (others skipped), within 10 s. */
    private Event next(String topic, String iface) throws InterruptedException {
        List<String> skipped = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Event e = received.poll(100, TimeUnit.MILLISECONDS);
            if (e == null) {
                continue;
            }
            if (e.getTopic().equals(topic) && (iface == null || iface.equals(e.getProperty(NetworkEvent.INTERFACE)))) {
                return e;
            }
            skipped.add(e.getTopic() + " " + e.getProperty(NetworkEvent.INTERFACE));
        }
        throw new AssertionError("no " + topic + " for " + iface + "; got " + skipped);
    }

    private static void assertProperty(Event e, String key, Object value) {
        assertEquals(e.getTopic() + " " + key, value, e.getProperty(key));
    }

    @Test
    public void interfaceAddressAndLinkEventsArriveWithTheirProperties() throws Exception {
        ConfigurationAdmin cm = service(ConfigurationAdmin.class);
        org.osgi.service.cm.Configuration c = cm.getFactoryConfiguration("netkit.interface", "ev0", "?");
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("name", "ev0");
        p.put("driver", "wire");
        p.put("address", "10.77.0.1/24");
        p.put("parameters", new String[] {"segment=events"});
        c.update(p);

        Event added = next(NetworkEvent.INTERFACE_ADDED, "ev0");
        assertProperty(added, NetworkEvent.DRIVER, "wire");
        assertProperty(added, NetworkEvent.STACK, "netkit");
        assertNotNull(added.getProperty(EventConstants.TIMESTAMP));
        assertProperty(next(NetworkEvent.INTERFACE_UP, "ev0"), NetworkEvent.DRIVER, "wire");
        Event address = next(NetworkEvent.ADDRESS_ADDED, "ev0");
        assertProperty(address, NetworkEvent.ADDRESS, "10.77.0.1/24");
        assertProperty(address, NetworkEvent.ORIGIN, "static");

        p.put("address", "10.77.0.2/16");
        c.update(p);
        Event changed = next(NetworkEvent.ADDRESS_CHANGED, "ev0");
        assertProperty(changed, NetworkEvent.ADDRESS, "10.77.0.2/16");
        assertProperty(changed, NetworkEvent.PREVIOUS_ADDRESS, "10.77.0.1/24");

        p.put("driver", "pair");
        p.put("parameters", new String[] {"pair=events"});
        c.update(p);
        Event swapped = next(NetworkEvent.LINK_SWAPPED, "ev0");
        assertProperty(swapped, NetworkEvent.DRIVER, "pair");
        assertProperty(swapped, NetworkEvent.PREVIOUS_DRIVER, "wire");

        bundle("netkit.link").stop(); // every driver leaves
        Event lost = next(NetworkEvent.LINK_LOST, "ev0");
        assertProperty(lost, NetworkEvent.REASON, "driver pair left");
        assertProperty(next(NetworkEvent.INTERFACE_DOWN, "ev0"), NetworkEvent.REASON, "link lost");
        bundle("netkit.link").start();
        next(NetworkEvent.INTERFACE_UP, "ev0");

        c.delete();
        assertProperty(next(NetworkEvent.ADDRESS_REMOVED, "ev0"), NetworkEvent.ADDRESS, "10.77.0.2/16");
        assertProperty(next(NetworkEvent.INTERFACE_DOWN, "ev0"), NetworkEvent.REASON, "interface removed");
        next(NetworkEvent.INTERFACE_REMOVED, "ev0");
    }

    @Test
    public void protocolEventsFollowTheProtocolBundles() throws Exception {
        bundle("netkit.udp").stop();
        Event removed = next(NetworkEvent.PROTOCOL_REMOVED, null);
        assertProperty(removed, NetworkEvent.PROTOCOL, "udp");
        assertProperty(removed, NetworkEvent.IP_PROTOCOL, 17);
        assertProperty(removed, NetworkEvent.STACK, "netkit");
        bundle("netkit.udp").start();
        Event added = next(NetworkEvent.PROTOCOL_ADDED, null);
        assertProperty(added, NetworkEvent.PROTOCOL, "udp");
        assertTrue(received.stream().noneMatch(e -> !e.getTopic().startsWith(NetworkEvent.TOPIC_PREFIX)));
    }
}
