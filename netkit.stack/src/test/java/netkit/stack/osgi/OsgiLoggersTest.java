package netkit.stack.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import netkit.api.spi.support.NetkitLog;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** System.Logger records onto OSGi Loggers, and the seam switching to and from that backend. */
class OsgiLoggersTest {
    private final List<String> calls = new ArrayList<>();

    /** A LoggerFactory whose loggers record "method name message args..." and enable WARN and up. */
    private Object factory() {
        Logger logger = (Logger) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Logger.class},
                (p, m, args) -> switch (m.getName()) {
                    case "getName" -> "test";
                    case "isErrorEnabled", "isWarnEnabled" -> true;
                    case "isInfoEnabled", "isDebugEnabled", "isTraceEnabled" -> false;
                    case "error", "warn", "info", "debug", "trace" -> {
                        StringBuilder b = new StringBuilder(m.getName()).append(' ').append(args[0]);
                        if (args.length > 1 && args[1] instanceof Object[] rest) {
                            for (Object o : rest) {
                                b.append(' ').append(o instanceof Throwable t ? t.getMessage() : o);
                            }
                        }
                        calls.add(b.toString());
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {LoggerFactory.class},
                (p, m, args) -> {
                    if (m.getName().equals("getLogger")) {
                        return logger;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    @AfterEach
    void noBackend() {
        NetkitLog.backend(null);
    }

    @Test
    void levelsMessagesAndThrowablesMapOntoTheOsgiLogger() {
        System.Logger log = OsgiLoggers.backend(factory()).apply(OsgiLoggersTest.class);
        log.log(System.Logger.Level.WARNING, "bad value {} kept", new IllegalStateException("why"));
        log.log(System.Logger.Level.ERROR, "stack {0} failed", "s0");
        log.log(System.Logger.Level.INFO, "fine");
        assertFalse(log.isLoggable(System.Logger.Level.DEBUG));
        assertEquals(List.of("warn bad value \\{} kept why", "error stack s0 failed", "info fine"), calls);
    }

    @Test
    void loggersMadeBeforeTheBackendFollowIt() {
        System.Logger log = NetkitLog.logger(OsgiLoggersTest.class);
        assertEquals(OsgiLoggersTest.class.getName(), log.getName());
        NetkitLog.backend(OsgiLoggers.backend(factory()));
        log.log(System.Logger.Level.WARNING, "now to the Log Service");
        assertEquals(List.of("warn now to the Log Service"), calls);
        NetkitLog.backend(null);
        calls.clear();
        log.log(System.Logger.Level.TRACE, "to the JDK again");
        assertEquals(List.of(), calls);
        assertSame(false, NetkitLog.hasBackend());
    }
}
