package netkit.stack.osgi;

import netkit.api.spi.support.NetkitLog;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Sends every netkit logger's records ({@link NetkitLog}) to the OSGi Log Service while a
 * {@code org.osgi.service.log.LoggerFactory} (R7, Log Service 1.4+) is present: each record is logged
 * through a Logger of the bundle whose class logged, so {@code log} (Felix Gogo) or
 * {@code log:display} (Karaf) show it under that bundle, and nothing goes to standard error. Without
 * a Log Service the records go to the JDK's platform logging, as in plain Java.
 *
 * <p>The bundle's activator rather than a DS component: it tracks the factory from this bundle's
 * start, so the backend is in place before Declarative Services activates any netkit component (in
 * the runtime jar every bundle starts before SCR); a DS component would be activated among the
 * others, after those of bundles SCR reaches first, whose early warnings would go to standard error.
 *
 * <p>Optional like the Event Admin: the bundle imports {@code org.osgi.service.log} with
 * {@code resolution:=optional}, and this class names none of its types ({@link OsgiLoggers} does).
 */
public final class LogServiceBridge implements BundleActivator {
    private static final String FACTORY = "org.osgi.service.log.LoggerFactory";
    private ServiceTracker<Object, Object> tracker;
    private ServiceReference<Object> current; // the factory in use; guarded by this

    @Override
    public void start(BundleContext context) {
        tracker = new ServiceTracker<>(context, FACTORY, null) {
            @Override
            public Object addingService(ServiceReference<Object> reference) {
                Object factory = super.addingService(reference);
                if (factory != null) {
                    offer(reference, factory); // not tracked yet: getService() would not see it
                }
                return factory;
            }

            @Override
            public void removedService(ServiceReference<Object> reference, Object service) {
                super.removedService(reference, service);
                withdraw(reference, this); // already untracked: the best of the others, if any, takes over
            }
        };
        tracker.open();
    }

    /** A factory appeared: it becomes the backend unless the one in use ranks higher. */
    private synchronized void offer(ServiceReference<Object> reference, Object factory) {
        if (current == null || reference.compareTo(current) > 0) {
            use(reference, factory);
        }
    }

    /** A factory went away: if it was in use, the best remaining one (or none) replaces it. */
    private synchronized void withdraw(ServiceReference<Object> reference, ServiceTracker<Object, Object> t) {
        if (reference.equals(current)) {
            ServiceReference<Object> next = t.getServiceReference();
            use(next, next == null ? null : t.getService(next));
        }
    }

    private void use(ServiceReference<Object> reference, Object factory) {
        current = factory == null ? null : reference;
        if (factory == null) {
            NetkitLog.backend(null);
            return;
        }
        try {
            NetkitLog.backend(OsgiLoggers.backend(factory));
        } catch (LinkageError | ClassCastException e) {
            // org.osgi.service.log is not wired to this bundle (installed after it resolved): the JDK's logging
            current = null;
            NetkitLog.backend(null);
        }
    }

    @Override
    public void stop(BundleContext context) {
        ServiceTracker<Object, Object> t = tracker;
        tracker = null;
        if (t != null) {
            t.close();
        }
        synchronized (this) {
            current = null;
            NetkitLog.backend(null);
        }
    }
}
