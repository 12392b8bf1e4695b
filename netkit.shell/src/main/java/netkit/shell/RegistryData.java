package netkit.shell;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import netkit.api.admin.NetworkAdmin;
import netkit.api.admin.SocketStatus;
import netkit.api.spi.link.LinkDriver;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** Completion data from the services registered now: the stack's interfaces and sockets, the link drivers. */
final class RegistryData implements NetkitCompleter.Data {
    private final BundleContext context;

    RegistryData(BundleContext context) {
        this.context = context;
    }

    @Override
    public Collection<String> interfaces() {
        return withAdmin(a -> a.interfaces().stream().map(i -> i.name()).toList());
    }

    @Override
    public Collection<String> drivers() {
        Set<String> names = new TreeSet<>();
        try {
            for (ServiceReference<LinkDriver> r : context.getServiceReferences(LinkDriver.class, null)) {
                LinkDriver d = context.getService(r);
                if (d != null) {
                    try {
                        names.add(d.name());
                    } finally {
                        context.ungetService(r);
                    }
                }
            }
        } catch (InvalidSyntaxException | IllegalStateException e) {
            // no filter given; a stopping framework offers nothing
        }
        return names;
    }

    @Override
    public Collection<String> ports() {
        return withAdmin(a -> {
            Set<String> ports = new TreeSet<>();
            for (SocketStatus s : a.sockets()) {
                boolean listens = s.protocol().equals("tcp") ? s.state().equals("LISTEN")
                        : s.protocol().equals("udp") && !s.state().equals("ESTABLISHED");
                if (listens && s.local().port() != 0) {
                    ports.add(String.valueOf(s.local().port()));
                }
            }
            return ports;
        });
    }

    private Collection<String> withAdmin(Function<NetworkAdmin, Collection<String>> f) {
        try {
            ServiceReference<NetworkAdmin> r = context.getServiceReference(NetworkAdmin.class);
            NetworkAdmin a = r == null ? null : context.getService(r);
            if (a == null) {
                return List.of();
            }
            try {
                return f.apply(a);
            } finally {
                context.ungetService(r);
            }
        } catch (IllegalStateException stopping) {
            return List.of();
        }
    }
}
