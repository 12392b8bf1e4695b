/** Administration and diagnostics of a running stack: interfaces, routes, ARP, sockets, counters. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.3.0")
package netkit.api.admin;
