package netkit.compat.osgi;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import netkit.api.SocketManager;
import netkit.compat.NetkitServerSocketFactory;
import netkit.compat.NetkitSocketFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * For every {@link SocketManager} service (one per stack), a {@link SocketFactory} and a
 * {@link ServerSocketFactory} service, so that a consumer gets {@code java.net} sockets on netkit
 * by a plain DS reference, without importing netkit packages. The factories are bundle-scoped
 * service factories: each consumer bundle's factory uses the socket manager as that bundle gets
 * it, so its sockets are its own (quotas, netstat -b) and close when it stops. The services carry
 * {@code netkit.sockets.service.id}, the socket manager's service id.
 */
@Component(immediate = true)
public final class FactoryServices {
    /** Service property naming the socket manager a factory uses. */
    public static final String SOCKETS_SERVICE_ID = "netkit.sockets.service.id";

    private final Map<ServiceReference<SocketManager>, ServiceRegistration<?>[]> registrations = new ConcurrentHashMap<>();
    private volatile BundleContext context;

    @Activate
    void activate(BundleContext bundleContext) {
        this.context = bundleContext;
        // references bound before activation are registered now
        registrations.replaceAll((ref, none) -> register(ref));
    }

    @Deactivate
    void deactivate() {
        registrations.keySet().forEach(this::unregister);
        context = null;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, service = SocketManager.class)
    void addSockets(ServiceReference<SocketManager> ref) {
        registrations.put(ref, context == null ? new ServiceRegistration<?>[0] : register(ref));
    }

    void removeSockets(ServiceReference<SocketManager> ref) {
        unregister(ref);
    }

    private ServiceRegistration<?>[] register(ServiceReference<SocketManager> ref) {
        BundleContext c = context;
        if (c == null) {
            return new ServiceRegistration<?>[0];
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(SOCKETS_SERVICE_ID, ref.getProperty(Constants.SERVICE_ID));
        return new ServiceRegistration<?>[] {
            c.registerService(SocketFactory.class.getName(), new PerBundle<>(ref, NetkitSocketFactory::new), props),
            c.registerService(ServerSocketFactory.class.getName(), new PerBundle<>(ref, NetkitServerSocketFactory::new),
                    props)
        };
    }

    private void unregister(ServiceReference<SocketManager> ref) {
        ServiceRegistration<?>[] regs = registrations.remove(ref);
        if (regs != null) {
            for (ServiceRegistration<?> r : regs) {
                try {
                    r.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // the framework unregistered it when this bundle stopped
                }
            }
        }
    }

    /** A factory per consumer bundle, over the socket manager as that bundle gets it. */
    private static final class PerBundle<T> implements ServiceFactory<T> {
        private final ServiceReference<SocketManager> ref;
        private final java.util.function.Function<SocketManager, T> create;

        PerBundle(ServiceReference<SocketManager> ref, java.util.function.Function<SocketManager, T> create) {
            this.ref = ref;
            this.create = create;
        }

        @Override
        public T getService(Bundle bundle, ServiceRegistration<T> registration) {
            BundleContext consumer = bundle.getBundleContext();
            SocketManager sockets = consumer == null ? null : consumer.getService(ref);
            return sockets == null ? null : create.apply(sockets);
        }

        @Override
        public void ungetService(Bundle bundle, ServiceRegistration<T> registration, T service) {
            BundleContext consumer = bundle.getBundleContext();
            if (consumer != null) {
                try {
                    consumer.ungetService(ref);
                } catch (IllegalStateException stopped) {
                    // the consumer's context is no longer valid: the framework released its services
                }
            }
        }
    }
}
