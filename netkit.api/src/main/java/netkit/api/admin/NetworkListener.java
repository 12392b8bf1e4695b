package netkit.api.admin;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told of every {@link NetworkEvent} of a stack, in the order the changes happened. Called on the
 * stack's event loop thread, never with the stack lock held, after the change is complete (the
 * stack's state already shows it); it may call the stack without blocking, or hand the event to
 * its own thread. A listener that throws is logged and stays registered.
 *
 * @since 2.3
 */
@ConsumerType
@FunctionalInterface
public interface NetworkListener {
    /** One change. */
    void changed(NetworkEvent event);
}
