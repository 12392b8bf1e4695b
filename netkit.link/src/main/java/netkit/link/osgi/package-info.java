/** Declarative Services wrappers registering the link drivers. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package netkit.link.osgi;
