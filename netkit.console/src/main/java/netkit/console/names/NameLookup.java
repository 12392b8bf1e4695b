package netkit.console.names;

import netkit.api.SockAddr;
import netkit.api.netdb.NetDb;
import netkit.api.netdb.NetDbException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Host arguments of console commands: a dotted quad, or a host name when a {@link NetDb} service
 * is there (optional: without it a name is refused as "not an IPv4 address", as before).
 */
@Component(service = NameLookup.class)
public final class NameLookup {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NetDb netdb;
    private volatile BundleContext context;

    @Activate
    void activate(BundleContext bundleContext) {
        this.context = bundleContext;
    }

    /** No resolver (plain Java, tests): dotted quads only. */
    public NameLookup() {
    }

    /** With {@code netdb} (null: none). */
    public static NameLookup of(NetDb netdb) {
        NameLookup l = new NameLookup();
        l.netdb = netdb;
        return l;
    }

    /**
     * The IPv4 address (host order) of {@code host}: the quad itself, else the first address
     * {@code gethostbyname} gives.
     *
     * @throws IllegalArgumentException "not an IPv4 address" without a resolver; otherwise with the
     *                                  glibc text of the failure ({@code Name or service not known}, ...)
     */
    public int address(String host) {
        try {
            return SockAddr.parseAddress(host);
        } catch (IllegalArgumentException notAQuad) {
            NetDb db = netdb;
            if (db != null) {
                return resolve(db, host);
            }
            // registered but not bound yet (the runtime's first command can race the resolver's start)
            BundleContext c = context;
            ServiceReference<NetDb> ref = c == null ? null : c.getServiceReference(NetDb.class);
            NetDb registered = ref == null ? null : c.getService(ref);
            if (registered == null) {
                throw notAQuad;
            }
            try {
                return resolve(registered, host);
            } finally {
                c.ungetService(ref);
            }
        }
    }

    /**
     * The host name of {@code address} through the resolver's {@code gethostbyaddr}, or null when
     * there is no resolver or no name (traceroute prints the address then).
     */
    public String name(int address) {
        NetDb db = netdb;
        if (db == null) {
            return null;
        }
        try {
            return db.gethostbyaddr(address).name();
        } catch (NetDbException | RuntimeException e) {
            return null;
        }
    }

    private static int resolve(NetDb db, String host) {
        try {
            return db.gethostbyname(host).addresses().get(0);
        } catch (NetDbException e) {
            throw new IllegalArgumentException(host + ": " + text(e));
        }
    }

    /** What glibc's gai_strerror says for the failure (EAI_NONAME, EAI_AGAIN, EAI_FAIL, EAI_NODATA). */
    static String text(NetDbException e) {
        return switch (e.error()) {
            case HOST_NOT_FOUND -> "Name or service not known";
            case TRY_AGAIN -> "Temporary failure in name resolution";
            case NO_RECOVERY -> "Non-recoverable failure in name resolution";
            case NO_DATA -> "No address associated with hostname";
        };
    }
}
