/**
 * What an address autoconfiguration client (DHCP) needs from a stack beyond sockets: a datagram
 * path bound to one interface that works before the interface has an address (like Linux's
 * {@code SO_BINDTODEVICE} plus the packet socket a DHCP client uses), and RFC 5227 ARP probes.
 * The address a client obtains is installed through
 * {@link netkit.api.admin.NetworkAdmin#setDynamicAddress}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package netkit.api.spi.autoconf;
