/**
 * {@code java.net} and {@code javax.net} over netkit: {@link netkit.compat.NetkitSocketFactory},
 * {@link netkit.compat.NetkitServerSocketFactory} and {@link netkit.compat.NetkitDatagramSocket}
 * make the JDK's own {@code Socket}, {@code ServerSocket} and {@code DatagramSocket} classes run
 * on a netkit {@link netkit.api.SocketManager}, so libraries written against them (HTTP clients,
 * TLS, ...) use a netkit stack unchanged. In OSGi the factories are also services (see the
 * bundle's component), so consumers need no netkit import at all.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package netkit.compat;
