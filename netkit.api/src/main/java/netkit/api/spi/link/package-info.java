/**
 * The link-driver contract: what a link driver bundle registers ({@link netkit.api.spi.link.LinkDriver}),
 * the {@link netkit.api.spi.link.Link} it opens, and the receiver the stack hands it.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.2.0")
package netkit.api.spi.link;
