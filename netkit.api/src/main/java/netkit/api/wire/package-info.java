/** Zero-copy views over protocol headers in byte arrays (Ethernet, ARP, IPv4) and the Internet checksum. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package netkit.api.wire;
