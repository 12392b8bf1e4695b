/**
 * The transport-protocol contract: what a protocol bundle registers
 * ({@link netkit.api.spi.protocol.TransportProtocol}), the instances and sockets it implements, and what
 * the stack gives it ({@link netkit.api.spi.protocol.StackContext}: time, lock, routing, IPv4 output).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.4.0")
package netkit.api.spi.protocol;
