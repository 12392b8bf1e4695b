package netkit.stack.osgi;

import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.TreeSet;
import netkit.api.SocketManager;
import netkit.stack.Stack;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;

/**
 * The bundle-scoped {@link SocketManager} service of one stack, registered by hand rather than as
 * a DS component so that its {@link SocketManager#PROTOCOLS} property can follow the protocols
 * present: a consumer targeting {@code (netkit.protocols=udp)} is bound only while UDP serves
 * {@code socket()}. Each bundle gets its own {@link BundleSockets}; releasing it closes the
 * bundle's sockets.
 */
final class SocketManagerService implements ServiceFactory<SocketManager> {
    private final Stack stack;
    private ServiceRegistration<SocketManager> registration; // guarded by this

    private SocketManagerService(Stack stack) {
        this.stack = stack;
    }

    /** Registers the service for {@code stack} with the protocols named. */
    static SocketManagerService register(BundleContext context, Stack stack, Collection<String> protocols) {
        SocketManagerService service = new SocketManagerService(stack);
        synchronized (service) {
            service.registration = context.registerService(SocketManager.class, service, properties(protocols));
        }
        return service;
    }

    /** Publishes the protocols now present. */
    synchronized void protocols(Collection<String> protocols) {
        if (registration != null) {
            registration.setProperties(properties(protocols));
        }
    }

    /** Unregisters the service: every bundle's sockets close. */
    synchronized void unregister() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
    }

    private static Dictionary<String, Object> properties(Collection<String> protocols) {
        Dictionary<String, Object> p = new Hashtable<>();
        p.put(SocketManager.PROTOCOLS, new TreeSet<>(protocols).toArray(new String[0]));
        return p;
    }

    @Override
    public SocketManager getService(Bundle bundle, ServiceRegistration<SocketManager> registration) {
        return new BundleSockets(stack, bundle);
    }

    @Override
    public void ungetService(Bundle bundle, ServiceRegistration<SocketManager> registration, SocketManager service) {
        ((BundleSockets) service).close();
    }
}
