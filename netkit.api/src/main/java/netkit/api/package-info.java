/** The netkit socket API: the Network Kit calls on socket tokens, their constants, errno values and address type. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package netkit.api;
