package netkit.compat.testing;

import netkit.compat.host.Netkit;
import netkit.compat.host.NetkitHost;

/**
 * Two hosts built with {@link Netkit}: {@code a} 10.0.0.1/24 and {@code b} 10.0.0.2/24 on a wire
 * segment of their own, each link impaired by {@code parameters} (e.g. {@code loss=1%}, seeded per host).
 */
public final class TwoHosts implements AutoCloseable {
    public static final String A = "10.0.0.1";
    public static final String B = "10.0.0.2";
    public final NetkitHost a;
    public final NetkitHost b;

    public TwoHosts(String segment, String... parameters) {
        a = host("a", A, segment, 1, parameters);
        NetkitHost second;
        try {
            second = host("b", B, segment, 2, parameters);
        } catch (RuntimeException e) {
            a.close();
            throw e;
        }
        b = second;
    }

    private static NetkitHost host(String name, String address, String segment, long seed, String... parameters) {
        String[] p = new String[parameters.length + 2];
        p[0] = "segment=" + segment;
        p[1] = "seed=" + seed;
        System.arraycopy(parameters, 0, p, 2, parameters.length);
        return Netkit.stack().name(name).seed(seed).address(address + "/24").link("wire", p).build();
    }

    @Override
    public void close() {
        a.close();
        b.close();
    }
}
