package netkit.stack.osgi;

import netkit.api.admin.NetworkEvent;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * The only class that names Event Admin types: loaded at the first event posted, so only when an
 * Event Admin is bound (see {@link EventAdminPublisher}).
 */
final class EventAdminPoster {
    private EventAdminPoster() {
    }

    /** Posts {@code event} asynchronously on {@code eventAdmin} (an {@link EventAdmin}). */
    static void post(Object eventAdmin, NetworkEvent event) {
        java.util.Map<String, Object> props = new java.util.HashMap<>(event.properties());
        props.put("timestamp", System.currentTimeMillis()); // org.osgi.service.event.EventConstants.TIMESTAMP
        ((EventAdmin) eventAdmin).postEvent(new Event(event.topic(), props));
    }
}
