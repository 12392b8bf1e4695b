/** Pooled packet buffers with header room so each layer prepends its header without copying. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.2.0")
package netkit.api.buffer;
