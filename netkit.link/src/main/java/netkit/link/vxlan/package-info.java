/** netkit link driver: VXLAN (RFC 7348) over a UDP socket of the host. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package netkit.link.vxlan;
