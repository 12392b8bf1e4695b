/**
 * The hook between long-running netkit commands and the shell that runs them:
 * {@link netkit.console.shell.Interruptible} ends a command's blocking socket call with EINTR on
 * Ctrl-C, and {@link netkit.console.shell.CommandFailure} tells it a command failed after printing
 * its output (exit status 1). Exported for shells (the runtime's {@code netkit.shell} bundle); free of JLine, so the
 * command bundle resolves in any Gogo-based console.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package netkit.console.shell;
