/** netkit link driver: Linux TAP devices through the FFM API (Java 22+). */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package netkit.link.tap;
