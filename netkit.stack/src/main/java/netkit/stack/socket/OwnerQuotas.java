package netkit.stack.socket;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The socket quotas of a stack's owners: a default for every owner and overrides for named
 * bundles ({@link Owner#bundle()}). Thread-safe; a change applies to the next call that charges.
 */
public final class OwnerQuotas {
    private final Map<String, SocketQuota> overrides = new ConcurrentHashMap<>();
    private volatile UnaryOperator<SocketQuota> resolver;

    /**
     * Quotas whose defaults come from {@code resolver}: it turns an override (fields of -1 for the
     * defaults) into the quota in force, such as {@code StackSettings::ownerQuota}.
     */
    public OwnerQuotas(UnaryOperator<SocketQuota> resolver) {
        resolver(resolver);
    }

    /** Changes how defaults are filled in (the stack's settings changed). */
    public void resolver(UnaryOperator<SocketQuota> r) {
        resolver = Objects.requireNonNull(r);
    }

    /** Sets the quota of every owner whose bundle is {@code bundle}. */
    public void set(String bundle, SocketQuota quota) {
        overrides.put(Objects.requireNonNull(bundle, "bundle"), Objects.requireNonNull(quota, "quota"));
    }

    /** Removes the override of {@code bundle}; its owners get the defaults again. */
    public void remove(String bundle) {
        overrides.remove(bundle);
    }

    /** The quota in force for {@code owner}, both fields 0 or more. */
    public SocketQuota of(Owner owner) {
        return resolver.apply(overrides.getOrDefault(owner.bundle(), SocketQuota.DEFAULTS));
    }
}
