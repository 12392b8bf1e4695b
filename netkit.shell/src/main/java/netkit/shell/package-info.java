/**
 * The runtime jar's console on standard input (JLine line editing, history, completion; piped
 * input run line by line); private to the bundle. Only the executable jar uses it: in another
 * container the netkit commands run under that container's own shell.
 */
package netkit.shell;
