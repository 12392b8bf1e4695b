/** Service provider interfaces: what transport protocol bundles and link driver bundles register, and what the stack gives them. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package netkit.api.spi;
