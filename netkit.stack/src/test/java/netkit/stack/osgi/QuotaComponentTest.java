package netkit.stack.osgi;

import static netkit.api.Net.AF_INET;
import static netkit.api.Net.SOCK_DGRAM;
import static netkit.api.testing.ErrnoAssertions.errno;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.SocketManager;
import netkit.api.testing.ScrConfigs;
import netkit.stack.socket.Owner;
import netkit.stack.testing.RawProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Factory PID {@code netkit.quota}: one bundle's quotas, changed at runtime, bad values refused. */
class QuotaComponentTest {
    private final StackComponent stack = new StackComponent();
    private final SocketManager app;
    private final SocketManager other;

    QuotaComponentTest() {
        Map<String, Object> props = Map.of("socketsPerBundle", "4", "loopback", "false");
        stack.activate(ScrConfigs.of(StackComponent.Config.class, props), props, null);
        stack.addProtocol(new RawProtocol());
        app = stack.stack().sockets(new Owner("app [7]", 7, "app"));
        other = stack.stack().sockets(new Owner("other [8]", 8, "other"));
    }

    @AfterEach
    void close() {
        stack.deactivate();
    }

    private static QuotaComponent.Config config(Map<String, Object> props) {
        return ScrConfigs.of(QuotaComponent.Config.class, props);
    }

    /** How many sockets {@code api} can open before EMFILE or ENOBUFS (all closed again). */
    private static int capacity(SocketManager api) throws ErrnoException {
        int[] open = new int[64];
        int n = 0;
        try {
            while (n < open.length) {
                open[n] = api.socket(AF_INET, SOCK_DGRAM, RawProtocol.NUMBER);
                n++;
            }
        } catch (ErrnoException e) {
            assertEquals(true, e.errno() == Errno.EMFILE || e.errno() == Errno.ENOBUFS, e.toString());
        }
        for (int i = 0; i < n; i++) {
            api.closesocket(open[i]);
        }
        return n;
    }

    @Test
    void aFactoryConfigurationOverridesOneBundlesQuota() throws Exception {
        assertEquals(4, capacity(app));
        Map<String, Object> props = Map.of("bundle", "app", "maxSockets", "2");
        QuotaComponent q = new QuotaComponent(stack, config(props), props);
        assertEquals(2, capacity(app));
        assertEquals(4, capacity(other), "other bundles keep the default");
        Map<String, Object> changed = Map.of("bundle", "app", "maxSockets", "6", "bufferKiB", "1024");
        q.modified(config(changed), changed);
        assertEquals(2, capacity(app), "1024 KiB: two sockets with default buffers");
        Map<String, Object> bad = Map.of("bundle", "app", "maxSockets", "banana", "bufferKiB", "-5");
        q.modified(config(bad), bad);
        assertEquals(2, capacity(app), "bad values keep the previous ones");
        int s = app.socket(AF_INET, SOCK_DGRAM, RawProtocol.NUMBER);
        var use = stack.owners().get(0);
        assertEquals(6, use.maxSockets());
        assertEquals(1024 * 1024L, use.maxBufferBytes());
        app.closesocket(s);
        Map<String, Object> moved = Map.of("bundle", "other", "maxSockets", "1");
        q.modified(config(moved), moved);
        assertEquals(4, capacity(app), "the override left app");
        assertEquals(1, capacity(other));
        q.deactivate();
        assertEquals(4, capacity(other), "deleting the configuration restores the default");
    }

    @Test
    void aConfigurationWithoutABundleChangesNothing() throws Exception {
        Map<String, Object> props = Map.of("maxSockets", "1");
        QuotaComponent q = new QuotaComponent(stack, config(props), props);
        assertEquals(4, capacity(app));
        q.deactivate();
    }
}
