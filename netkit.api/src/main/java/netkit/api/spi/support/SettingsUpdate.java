package netkit.api.spi.support;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Applies configuration properties to immutable settings so that a bad value cannot stop a
 * component: a value that cannot be read (Declarative Services throws when it cannot coerce, say,
 * {@code banana} to an int) or that the settings builder refuses is reported in one log line naming
 * the PID, the property, the value and why, and the property keeps its previous value; the other
 * properties apply. Properties are first applied together (so that related values may change at
 * once) and, when the builder refuses that, one at a time.
 *
 * @param <S> the settings
 * @param <B> their builder
 */
public final class SettingsUpdate<S, B> {
    private final String pid;
    private final S previous;
    private final Function<S, B> toBuilder;
    private final Function<B, S> build;
    private final Map<String, ?> raw;
    private final System.Logger log;
    private final List<String> names = new ArrayList<>();
    private final List<Consumer<B>> changes = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    /**
     * @param pid the configuration PID, for the log
     * @param previous the settings in force (or the defaults)
     * @param toBuilder a builder starting from given settings
     * @param build the builder's checking {@code build()}
     * @param raw the configuration properties as delivered, to name the bad values
     * @param log where refusals go (level WARNING)
     */
    public SettingsUpdate(String pid, S previous, Function<S, B> toBuilder, Function<B, S> build, Map<String, ?> raw,
            System.Logger log) {
        this.pid = Objects.requireNonNull(pid);
        this.previous = Objects.requireNonNull(previous);
        this.toBuilder = Objects.requireNonNull(toBuilder);
        this.build = Objects.requireNonNull(build);
        this.raw = raw == null ? Map.of() : raw;
        this.log = Objects.requireNonNull(log);
    }

    /** Adds property {@code name}: its value from {@code value} (which may throw), applied by {@code setter}. */
    public <T> SettingsUpdate<S, B> set(String name, Supplier<T> value, BiConsumer<B, T> setter) {
        T v;
        try {
            v = value.get();
        } catch (RuntimeException e) {
            refuse(name, "cannot be read (" + reason(e) + ")");
            return this;
        }
        names.add(name);
        changes.add(b -> setter.accept(b, v));
        return this;
    }

    /** The new settings: every acceptable property applied, the others at their previous values. */
    public S apply() {
        try {
            B b = toBuilder.apply(previous);
            changes.forEach(c -> c.accept(b));
            return build.apply(b);
        } catch (RuntimeException together) {
            S s = previous;
            for (int i = 0; i < changes.size(); i++) {
                try {
                    B b = toBuilder.apply(s);
                    changes.get(i).accept(b);
                    s = build.apply(b);
                } catch (RuntimeException e) {
                    refuse(names.get(i), "refused (" + reason(e) + ")");
                }
            }
            return s;
        }
    }

    /** The log lines written so far, for the caller and tests. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    private void refuse(String name, String why) {
        String line = "configuration " + pid + ": " + name + "=" + raw.get(name) + " " + why
                + "; the previous value stays in force";
        problems.add(line);
        log.log(Level.WARNING, line);
    }

    private static String reason(RuntimeException e) {
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
