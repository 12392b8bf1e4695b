/**
 * Seeded fault injection for any link: {@link netkit.api.spi.impair.Impairment} says what happens to
 * frames (loss, duplication, reordering, corruption, delay, jitter, rate limit),
 * {@link netkit.api.spi.impair.FaultInjector} applies it to the frames going one way, and
 * {@link netkit.api.spi.impair.FaultInjectingLink} decorates a {@link netkit.api.spi.link.Link} in
 * both directions. Implementation support like {@code netkit.api.spi.support}: not a contract.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package netkit.api.spi.impair;
