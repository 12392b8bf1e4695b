/**
 * netkit link driver: pair. Two stacks in one JVM joined like a Linux veth pair with its offloads
 * (Ethernet framing, 64 KiB MTU, no checksums between the two ends).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package netkit.link.pair;
