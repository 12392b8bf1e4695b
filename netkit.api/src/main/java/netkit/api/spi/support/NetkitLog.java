package netkit.api.spi.support;

import java.util.Objects;
import java.util.ResourceBundle;
import java.util.function.Function;

/**
 * The one way netkit code logs: {@code private static final System.Logger LOG = NetkitLog.logger(X.class);}.
 * The loggers are the JDK's {@link System.Logger} interface; where their records go is chosen by the
 * {@linkplain #backend(Function) backend}, at each call, so a logger made in a static initializer
 * follows a backend installed later:
 *
 * <ul>
 *   <li>plain Java (no backend installed): {@link System#getLogger(String)}, the JDK's platform logging
 *       (java.util.logging unless the application installed another {@code System.LoggerFinder});</li>
 *   <li>OSGi: the {@code netkit.stack} bundle installs a backend over the OSGi Log Service's
 *       {@code LoggerFactory} while one is present, so records go to the Log Service under the bundle
 *       of the class that logs (read with {@code log} in the console) and not to standard error.</li>
 * </ul>
 */
public final class NetkitLog {
    private static volatile Function<Class<?>, System.Logger> backend;
    private static volatile int generation;

    private NetkitLog() {
    }

    /** The logger of {@code owner} (named after its class). */
    public static System.Logger logger(Class<?> owner) {
        return new Delegating(Objects.requireNonNull(owner));
    }

    /**
     * Sends every netkit logger's records to {@code loggers} (given the logging class), or with null
     * back to {@link System#getLogger(String)}.
     */
    public static synchronized void backend(Function<Class<?>, System.Logger> loggers) {
        backend = loggers;
        generation++;
    }

    /** Whether a backend is installed. */
    public static boolean hasBackend() {
        return backend != null;
    }

    /** A logger that finds its target again whenever the backend changed. */
    private static final class Delegating implements System.Logger {
        private final Class<?> owner;
        private volatile Target target;

        private record Target(int generation, System.Logger logger) {
        }

        Delegating(Class<?> owner) {
            this.owner = owner;
        }

        private System.Logger target() {
            int g = generation;
            Target t = target;
            if (t == null || t.generation != g) {
                Function<Class<?>, System.Logger> b = backend;
                System.Logger l = null;
                if (b != null) {
                    try {
                        l = b.apply(owner);
                    } catch (RuntimeException | LinkageError e) {
                        l = null; // a backend going away: fall back below
                    }
                }
                t = new Target(g, l != null ? l : System.getLogger(owner.getName()));
                target = t;
            }
            return t.logger;
        }

        @Override
        public String getName() {
            return owner.getName();
        }

        @Override
        public boolean isLoggable(Level level) {
            return target().isLoggable(level);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            target().log(level, bundle, msg, thrown);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            target().log(level, bundle, format, params);
        }
    }
}
