package netkit.stack.osgi;

import java.text.MessageFormat;
import java.util.ResourceBundle;
import java.util.function.Function;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * {@link System.Logger}s over an OSGi {@link LoggerFactory}: the only class naming Log Service types,
 * loaded when a factory is bound (see {@link LogServiceBridge}).
 */
final class OsgiLoggers {
    private OsgiLoggers() {
    }

    /** A {@link netkit.api.spi.support.NetkitLog} backend over {@code factory} (a {@link LoggerFactory}). */
    static Function<Class<?>, System.Logger> backend(Object factory) {
        LoggerFactory f = (LoggerFactory) factory;
        return owner -> {
            Bundle b = FrameworkUtil.getBundle(owner);
            Logger l;
            try {
                l = b != null ? f.getLogger(b, owner.getName(), Logger.class) : f.getLogger(owner.getName());
            } catch (IllegalArgumentException e) {
                l = f.getLogger(owner.getName());
            }
            return new Adapter(l);
        };
    }

    /** System.Logger levels onto an OSGi Logger (ALL and TRACE: trace; OFF: nothing). */
    static final class Adapter implements System.Logger {
        private final Logger log;

        Adapter(Logger log) {
            this.log = log;
        }

        @Override
        public String getName() {
            return log.getName();
        }

        @Override
        public boolean isLoggable(Level level) {
            return switch (level) {
                case OFF -> false;
                case ERROR -> log.isErrorEnabled();
                case WARNING -> log.isWarnEnabled();
                case INFO -> log.isInfoEnabled();
                case DEBUG -> log.isDebugEnabled();
                case ALL, TRACE -> log.isTraceEnabled();
            };
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            // OSGi Loggers format "{}" with their arguments; netkit's messages are literal
            String m = msg == null ? "" : msg.replace("{}", "\\{}");
            Object[] args = thrown == null ? new Object[0] : new Object[] {thrown};
            switch (level) {
                case OFF -> { }
                case ERROR -> log.error(m, args);
                case WARNING -> log.warn(m, args);
                case INFO -> log.info(m, args);
                case DEBUG -> log.debug(m, args);
                case ALL, TRACE -> log.trace(m, args);
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            log(level, bundle, params == null || params.length == 0 ? format : MessageFormat.format(format, params),
                    (Throwable) null);
        }
    }
}
