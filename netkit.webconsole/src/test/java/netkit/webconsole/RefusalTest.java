package netkit.webconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Proxy;
import java.util.Map;
import javax.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

/** A swap is refused without the page's token, or from another origin (CSRF). */
class RefusalTest {
    private final NetkitPlugin plugin = new NetkitPlugin();

    private static HttpServletRequest request(Map<String, String> headers) {
        return (HttpServletRequest) Proxy.newProxyInstance(RefusalTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, a) -> m.getName().equals("getHeader")
                        ? headers.get((String) a[0]) : null);
    }

    @Test
    void sameOriginWithTheTokenPasses() {
        assertNull(plugin.refusal(request(Map.of("X-Netkit-Token", plugin.token(), "Host", "127.0.0.1:8080",
                "Origin", "http://127.0.0.1:8080"))));
        assertNull(plugin.refusal(request(Map.of("X-Netkit-Token", plugin.token(), "Host", "127.0.0.1:8080",
                "Referer", "http://admin@127.0.0.1:8080/system/console/netkit"))));
    }

    @Test
    void othersAreRefused() {
        assertEquals("missing or stale page token: reload the page", plugin.refusal(request(Map.of(
                "Host", "127.0.0.1:8080", "Origin", "http://127.0.0.1:8080"))));
        assertEquals("missing or stale page token: reload the page", plugin.refusal(request(Map.of(
                "X-Netkit-Token", "x" + plugin.token(), "Host", "127.0.0.1:8080", "Origin", "http://127.0.0.1:8080"))));
        assertEquals("cross-origin request refused (http://evil.example is not 127.0.0.1:8080)", plugin.refusal(request(
                Map.of("X-Netkit-Token", plugin.token(), "Host", "127.0.0.1:8080", "Origin", "http://evil.example"))));
        assertEquals("cross-origin request refused (no Origin or Referer)", plugin.refusal(request(Map.of(
                "X-Netkit-Token", plugin.token(), "Host", "127.0.0.1:8080"))));
    }

    @Test
    void resourcesAreOnlyThePagesOwn() {
        assertEquals(true, plugin.resource("/netkit/res/netkit.js") != null);
        assertNull(plugin.resource("/netkit/res/../../netkit/webconsole/NetkitPlugin.class"));
        assertNull(plugin.resource("/netkit/res/other.js"));
    }
}
