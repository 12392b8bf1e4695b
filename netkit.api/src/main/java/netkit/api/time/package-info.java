/** Event loops that drive a stack: a real-time thread, or simulated time for deterministic tests. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.1.0")
package netkit.api.time;
