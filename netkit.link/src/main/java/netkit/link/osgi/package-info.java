/** Declarative Services wrappers registering the link drivers (private to the bundle). */
package netkit.link.osgi;
