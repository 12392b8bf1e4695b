/**
 * Implementation support shared by protocol and driver bundles (datagram socket base and queue, port
 * table, Ethernet link base, {@link netkit.api.spi.support.Deadline} for blocking calls,
 * {@link netkit.api.spi.support.NetkitLog}, the one logging seam). Not a contract: versioned separately from the SPI packages, so it may change in a minor release of the
 * SPI without breaking their consumers.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.4.0")
package netkit.api.spi.support;
