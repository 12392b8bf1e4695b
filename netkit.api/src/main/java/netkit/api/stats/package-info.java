/**
 * Protocol statistics: one typed counter model for IP, ARP, ICMP, UDP and TCP. Each protocol's
 * counters are the constants of an enum ({@link netkit.api.stats.IpCounter}, ...) named as in the
 * MIBs (RFC 4293, 4022, 4113) or, where no MIB has one, as Linux's {@code nstat} does. A
 * {@link netkit.api.stats.CounterSet} counts them; a {@link netkit.api.stats.CounterSnapshot} is
 * what readers get; {@link netkit.api.stats.StackStatistics} holds one snapshot per protocol.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package netkit.api.stats;
