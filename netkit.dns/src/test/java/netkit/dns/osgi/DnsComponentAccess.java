package netkit.dns.osgi;

import java.util.Map;
import netkit.dns.ResolverSettings;

/** Reaches the component's package-private settings mapping from tests in netkit.dns. */
public final class DnsComponentAccess {
    private DnsComponentAccess() {
    }

    public static ResolverSettings settings(ResolverSettings previous, DnsComponent.Config c, Map<String, Object> p) {
        return DnsComponent.settings(previous, c, p);
    }
}
