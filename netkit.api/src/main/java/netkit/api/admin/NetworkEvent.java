package netkit.api.admin;

import java.util.Map;
import java.util.Objects;

/**
 * A change of a stack's interfaces, links, addresses or protocols, as {@link NetworkListener}s get it
 * and as the OSGi layer posts it on the Event Admin (topic and properties unchanged, so the constants
 * here are what an {@code org.osgi.service.event.EventHandler} subscribes to and reads). Topics are
 * {@code netkit/SUBJECT/WHAT}: subscribe to {@code netkit/*} for all of them, or to one subject such
 * as {@code netkit/interface/*}.
 *
 * <p>Every event carries {@link #STACK}; interface, link and lease events carry {@link #INTERFACE}
 * and {@link #DRIVER} (the configured driver name); addresses are strings {@code a.b.c.d/prefix}.
 *
 * @param topic      one of the {@code TOPIC} constants
 * @param properties the event's properties (unmodifiable; Strings, Integers and Longs)
 * @since 2.3
 */
public record NetworkEvent(String topic, Map<String, Object> properties) {

    /** Prefix of every topic. */
    public static final String TOPIC_PREFIX = "netkit/";

    /** An interface was configured for the first time. */
    public static final String INTERFACE_ADDED = "netkit/interface/ADDED";
    /** An interface was removed (after its {@link #ADDRESS_REMOVED} and {@link #INTERFACE_DOWN}). */
    public static final String INTERFACE_REMOVED = "netkit/interface/REMOVED";
    /**
     * An interface started running: administratively up with a link attached (RUNNING in
     * {@code ifconfig}).
     */
    public static final String INTERFACE_UP = "netkit/interface/UP";
    /**
     * An interface stopped running: set down, its link lost or failed, or the interface removed;
     * {@link #REASON} says which.
     */
    public static final String INTERFACE_DOWN = "netkit/interface/DOWN";
    /** An interface without an address got one ({@link #ADDRESS}, {@link #ORIGIN}). */
    public static final String ADDRESS_ADDED = "netkit/interface/ADDRESS_ADDED";
    /** An interface's address went away ({@link #ADDRESS} is the one removed). */
    public static final String ADDRESS_REMOVED = "netkit/interface/ADDRESS_REMOVED";
    /**
     * An interface's address or prefix changed ({@link #ADDRESS}, {@link #PREVIOUS_ADDRESS},
     * {@link #ORIGIN}).
     */
    public static final String ADDRESS_CHANGED = "netkit/interface/ADDRESS_CHANGED";

    /**
     * The link under a running interface was replaced by one of another driver (a {@code link swap},
     * a changed {@code driver}): {@link #DRIVER} and {@link #PREVIOUS_DRIVER}; sockets stay.
     */
    public static final String LINK_SWAPPED = "netkit/link/SWAPPED";
    /**
     * An interface lost its link while staying configured: its driver left (bundle stopped) or the
     * configured driver is not present; {@link #REASON}. It runs again when the driver returns.
     */
    public static final String LINK_LOST = "netkit/link/LOST";
    /** The interface's driver could not open its link (port taken, device missing): {@link #REASON}. */
    public static final String LINK_FAILED = "netkit/link/FAILED";

    /** A transport protocol joined the stack ({@link #PROTOCOL}, {@link #IP_PROTOCOL}). */
    public static final String PROTOCOL_ADDED = "netkit/protocol/ADDED";
    /** A transport protocol left the stack; its sockets fail with ENETDOWN until closed. */
    public static final String PROTOCOL_REMOVED = "netkit/protocol/REMOVED";

    /**
     * A dynamic address (a DHCP lease) was installed on an interface that had none:
     * {@link #ADDRESS}, {@link #ORIGIN}, {@link #ROUTER}, {@link #LEASE_SECONDS}.
     */
    public static final String LEASE_BOUND = "netkit/lease/BOUND";
    /** An interface's dynamic address was replaced by a new one (a renewal), same properties. */
    public static final String LEASE_RENEWED = "netkit/lease/RENEWED";
    /**
     * An interface's dynamic address went away: {@link #REASON} {@code expired}, {@code cleared} (the
     * client released it or was refused) or {@code removed} (the interface was removed).
     */
    public static final String LEASE_LOST = "netkit/lease/LOST";

    /** Property: the stack's name (String). */
    public static final String STACK = "stack";
    /** Property: the interface's name (String). */
    public static final String INTERFACE = "interface";
    /** Property: the interface's configured driver name (String). */
    public static final String DRIVER = "driver";
    /** Property: the driver of the link before a swap (String). */
    public static final String PREVIOUS_DRIVER = "previousDriver";
    /** Property: an address with its prefix, {@code a.b.c.d/p} (String). */
    public static final String ADDRESS = "address";
    /** Property: the address before a change, {@code a.b.c.d/p} (String). */
    public static final String PREVIOUS_ADDRESS = "previousAddress";
    /**
     * Property: where the address comes from: {@code static} (configured) or the dynamic address's
     * origin ({@code dhcp}) (String).
     */
    public static final String ORIGIN = "origin";
    /** Property: why (String). */
    public static final String REASON = "reason";
    /** Property: the default gateway of a lease, {@code a.b.c.d}, empty for none (String). */
    public static final String ROUTER = "router";
    /** Property: seconds the lease has left when the event is made (Long). */
    public static final String LEASE_SECONDS = "leaseSeconds";
    /** Property: the transport protocol's name, {@code udp}, {@code tcp}, {@code icmp} (String). */
    public static final String PROTOCOL = "protocol";
    /** Property: the transport protocol's IP protocol number (Integer). */
    public static final String IP_PROTOCOL = "ipProtocol";

    /** Checks the topic and copies the properties. */
    public NetworkEvent {
        Objects.requireNonNull(topic);
        if (!topic.startsWith(TOPIC_PREFIX)) {
            throw new IllegalArgumentException("not a netkit topic: " + topic);
        }
        properties = Map.copyOf(properties);
    }

    /** The property {@code key}, or null. */
    public Object get(String key) {
        return properties.get(key);
    }

    @Override
    public String toString() {
        return topic + " " + new java.util.TreeMap<>(properties);
    }
}
