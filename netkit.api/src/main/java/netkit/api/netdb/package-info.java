/**
 * Names and addresses (the Network Kit's netdb calls): host and service lookup, and the settings a
 * resolver takes from other bundles (a DHCP lease, for instance).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package netkit.api.netdb;
