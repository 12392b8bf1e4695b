/** netkit link driver: wire. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.1.0")
package netkit.link.wire;
