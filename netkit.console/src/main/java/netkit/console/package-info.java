/** Gogo commands of the netkit console (scope {@code netkit}). */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package netkit.console;
