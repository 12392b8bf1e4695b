package netkit.compat.testing;

import javax.net.SocketFactory;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.util.TimeValue;

/**
 * Apache HttpClient 5.6's classic connection manager with its sockets from a {@link SocketFactory}.
 * In HttpClient 5.6 the plain socket of every connection comes from the connection operator's
 * {@code DetachedSocketFactory}; a {@code Registry<ConnectionSocketFactory>} passed to the
 * connection manager is only used for the TLS layer, so its "http" entry is silently ignored and
 * the kernel's sockets are used. This wires the factory where 5.6 takes it.
 */
public final class HttpClientSockets {
    private HttpClientSockets() {
    }

    public static PoolingHttpClientConnectionManager manager(SocketFactory sockets) {
        DefaultHttpClientConnectionOperator operator = new DefaultHttpClientConnectionOperator(
                proxy -> sockets.createSocket(), DefaultSchemePortResolver.INSTANCE, SystemDefaultDnsResolver.INSTANCE,
                RegistryBuilder.<TlsSocketStrategy>create().build());
        return new PoolingHttpClientConnectionManager(operator, PoolConcurrencyPolicy.STRICT, PoolReusePolicy.LIFO,
                TimeValue.NEG_ONE_MILLISECOND, null);
    }
}
