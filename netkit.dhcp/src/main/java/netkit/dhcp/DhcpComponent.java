package netkit.dhcp;

import java.util.Hashtable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import netkit.api.admin.NetworkAdmin;
import netkit.api.netdb.ResolverConfiguration;
import netkit.api.spi.autoconf.AutoconfSupport;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

/**
 * A {@link DhcpClient} for every interface configuration (factory PID {@code netkit.interface})
 * with {@code dhcp = true}; a thin wrapper. While a lease is held it registers the lease's
 * {@link ResolverConfiguration} (origin {@code dhcp IFACE}) as a service, unregisters it when the
 * lease ends and registers the new one when it changes. Turning {@code dhcp} off, deleting the
 * interface's configuration or stopping this bundle releases the lease (DHCPRELEASE) and removes
 * the address.
 */
@Component(configurationPid = "netkit.interface", configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
public final class DhcpComponent {
    /** The properties of an interface configuration that this component reads. */
    public @interface Config {
        /** Interface name. */
        String name();

        /** Whether the interface takes its address by DHCP. */
        boolean dhcp() default false;
    }

    private final AutoconfSupport support;
    private final NetworkAdmin admin;
    private final BundleContext bundle;
    private DhcpClient client;
    private volatile String iface;
    /**
     * Registrations happen here, in order, never on the stack's loop: the client reports leases with
     * the stack lock held, and service events must not run other bundles' code under it.
     */
    private final ExecutorService registrar = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "netkit-dhcp-registrar");
        t.setDaemon(true);
        return t;
    });
    private ServiceRegistration<ResolverConfiguration> registration;
    private ResolverConfiguration registered;

    @Activate
    public DhcpComponent(@Reference AutoconfSupport support, @Reference NetworkAdmin admin, BundleContext bundle,
            Config config) {
        this.support = support;
        this.admin = admin;
        this.bundle = bundle;
        apply(config);
    }

    @Modified
    void modified(Config config) {
        apply(config);
    }

    private synchronized void apply(Config c) {
        boolean on = c.dhcp() && c.name() != null;
        if (client != null && (!on || !c.name().equals(iface))) {
            client.stop(true); // dhcp switched off (or the interface renamed): release
            client = null;
        }
        if (on && client == null) {
            iface = c.name();
            client = new DhcpClient(support, admin, iface, this::leaseChanged);
            client.start();
        }
    }

    @Deactivate
    synchronized void deactivate() {
        if (client != null) {
            client.stop(true);
            client = null;
        }
        registrar.execute(() -> publish(null));
        registrar.shutdown();
        try {
            registrar.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The client of this interface, or null while dhcp is off. */
    synchronized DhcpClient client() {
        return client;
    }

    private void leaseChanged(String name, DhcpLease lease) {
        ResolverConfiguration rc = lease == null ? null : lease.resolverConfiguration();
        try {
            registrar.execute(() -> publish(rc));
        } catch (RejectedExecutionException stopping) {
            // deactivated: the last publish(null) is queued already
        }
    }

    /** Registers {@code rc} in place of the previous one (null: none); nothing when unchanged. Registrar thread. */
    private void publish(ResolverConfiguration rc) {
        if (rc == null ? registered == null : rc.equals(registered)) {
            return;
        }
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
            registration = null;
        }
        registered = rc;
        if (rc != null) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("netkit.interface", iface);
            registration = bundle.registerService(ResolverConfiguration.class, rc, props);
        }
    }
}
