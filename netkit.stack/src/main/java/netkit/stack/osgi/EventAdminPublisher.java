package netkit.stack.osgi;

import netkit.api.admin.NetworkEvent;
import netkit.api.admin.NetworkListener;
import netkit.api.spi.support.NetkitLog;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Posts the stack's {@link NetworkEvent}s on the OSGi Event Admin, Kura style: topic and properties
 * as {@link NetworkEvent} documents them ({@code netkit/interface/UP}, {@code netkit/link/SWAPPED},
 * ...), asynchronously ({@code postEvent}) from the stack's loop thread, never under the stack lock.
 *
 * <p>The Event Admin is optional: the bundle imports {@code org.osgi.service.event} with
 * {@code resolution:=optional} and this class names none of its types (the reference is bound as a
 * {@link ServiceReference}; {@link EventAdminPoster} makes the calls), so the bundle resolves and this
 * component runs in a container without it; events are then dropped.
 */
@Component(immediate = true, service = {})
public final class EventAdminPublisher implements NetworkListener {
    private static final System.Logger LOG = NetkitLog.logger(EventAdminPublisher.class);

    @Reference
    private StackHolder holder;

    private final OptionalService eventAdmin = new OptionalService();
    private volatile boolean unusable;

    @Activate
    void activate() {
        holder.stack().addListener(this);
    }

    @Deactivate
    void deactivate() {
        if (holder.stack() != null) {
            holder.stack().removeListener(this);
        }
        eventAdmin.clear();
    }

    @Reference(name = "eventAdmin", service = org.osgi.service.event.EventAdmin.class,
            cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindEventAdmin(ServiceReference<?> ref) {
        eventAdmin.bind(ref);
    }

    void unbindEventAdmin(ServiceReference<?> ref) {
        eventAdmin.unbind(ref);
    }

    @Override
    public void changed(NetworkEvent event) {
        Object admin = eventAdmin.get();
        if (admin == null || unusable) {
            return;
        }
        try {
            EventAdminPoster.post(admin, event);
        } catch (LinkageError | ClassCastException e) {
            // an Event Admin installed after this bundle resolved: its package is not wired to us
            unusable = true;
            LOG.log(System.Logger.Level.WARNING, "cannot post netkit events: org.osgi.service.event is not wired "
                    + "to netkit.stack (refresh it): " + e);
        }
    }

    /** An optional dynamic service bound by reference, got and released through this bundle's context. */
    static final class OptionalService {
        private ServiceReference<?> ref;
        private Object service;

        synchronized void bind(ServiceReference<?> r) {
            BundleContext bc = FrameworkUtil.getBundle(OptionalService.class).getBundleContext();
            Object s = bc == null ? null : bc.getService(r);
            if (s != null) {
                clear();
                ref = r;
                service = s;
            }
        }

        synchronized void unbind(ServiceReference<?> r) {
            if (r.equals(ref)) {
                clear();
            }
        }

        synchronized Object get() {
            return service;
        }

        synchronized void clear() {
            if (ref != null) {
                BundleContext bc = FrameworkUtil.getBundle(OptionalService.class).getBundleContext();
                try {
                    if (bc != null) {
                        bc.ungetService(ref);
                    }
                } catch (IllegalStateException e) {
                    // the bundle is stopping: the framework releases it
                }
            }
            ref = null;
            service = null;
        }
    }
}
