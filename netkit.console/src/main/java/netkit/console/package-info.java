/** Gogo commands of the netkit console (scope {@code netkit}); private to the bundle. */
package netkit.console;
