/** netkit link driver: loopback. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package netkit.link.loopback;
