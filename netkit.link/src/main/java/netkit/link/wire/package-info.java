/** netkit link driver: wire. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.0.0")
package netkit.link.wire;
