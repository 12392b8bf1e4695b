package netkit.stack.osgi;

import java.util.Map;
import netkit.api.spi.support.SettingsUpdate;
import netkit.stack.socket.SocketQuota;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One bundle's socket quotas per factory configuration of {@value #FACTORY_PID}, overriding the
 * defaults of PID {@code netkit.stack} ({@code socketsPerBundle}, {@code bufferKiBPerBundle});
 * changed at runtime, removed with the configuration. A bad value is logged in one WARNING line and
 * the previous one stays in force.
 */
@Component(configurationPid = QuotaComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = QuotaComponent.Config.class, factory = true)
public final class QuotaComponent {
    /** Factory PID of bundle quota configurations. */
    public static final String FACTORY_PID = "netkit.quota";

    private static final System.Logger LOG = netkit.api.spi.support.NetkitLog.logger(QuotaComponent.class);

    /** One bundle's quotas. */
    @ObjectClassDefinition(name = "netkit bundle quota", description = "Socket and buffer quotas of one bundle")
    public @interface Config {
        /** The bundle. */
        @AttributeDefinition(name = "Bundle", description = "Bundle-SymbolicName of the bundle")
        String bundle() default "";

        /** Socket quota. */
        @AttributeDefinition(name = "Maximum sockets",
                description = "Sockets the bundle may hold before EMFILE (-1: netkit.stack socketsPerBundle)",
                min = "-1")
        int maxSockets() default -1;

        /** Buffer quota. */
        @AttributeDefinition(name = "Buffer KiB", description = "KiB of socket buffers (SO_SNDBUF + SO_RCVBUF) the "
                + "bundle may reserve before ENOBUFS (-1: netkit.stack bufferKiBPerBundle)", min = "-1")
        int bufferKiB() default -1;
    }

    /** A {@link SocketQuota} being changed by configuration properties. */
    private static final class Draft {
        int maxSockets;
        long maxBufferBytes;

        Draft(SocketQuota q) {
            maxSockets = q.maxSockets();
            maxBufferBytes = q.maxBufferBytes();
        }

        SocketQuota build() {
            return new SocketQuota(maxSockets, maxBufferBytes);
        }
    }

    private final StackHolder holder;
    private String bundle;
    private SocketQuota quota = SocketQuota.DEFAULTS;

    @Activate
    public QuotaComponent(@Reference StackHolder holder, Config config, Map<String, Object> properties) {
        this.holder = holder;
        apply(config, properties);
    }

    @Modified
    void modified(Config config, Map<String, Object> properties) {
        apply(config, properties);
    }

    private void apply(Config c, Map<String, Object> properties) {
        quota = new SettingsUpdate<>(FACTORY_PID, quota, Draft::new, Draft::build, properties, LOG)
                .set("maxSockets", c::maxSockets, (d, n) -> d.maxSockets = n)
                .set("bufferKiB", c::bufferKiB, (d, kib) -> d.maxBufferBytes = kib == -1 ? -1 : kib * 1024L)
                .apply();
        String name = bundleOf(c, properties);
        if (bundle != null && !bundle.equals(name)) {
            holder.stack().removeQuota(bundle);
        }
        bundle = name;
        if (bundle != null) {
            holder.stack().quota(bundle, quota);
        }
    }

    /** The configured bundle; the previous one (logged) when it is missing. */
    private String bundleOf(Config c, Map<String, Object> properties) {
        String name = c.bundle() == null ? "" : c.bundle().trim();
        if (name.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "configuration " + FACTORY_PID + ": bundle=" + properties.get("bundle")
                    + " must name a Bundle-SymbolicName; "
                    + (bundle == null ? "this configuration has no effect" : "it stays " + bundle));
            return bundle;
        }
        return name;
    }

    @Deactivate
    void deactivate() {
        if (bundle != null && holder.stack() != null) {
            holder.stack().removeQuota(bundle);
        }
    }
}
