package netkit.console.shell;

/**
 * A command that has printed its whole output and failed, as Linux {@code ping} exits with status
 * 1 after its statistics when no reply came. Shells end the command with failure (the netkit shell:
 * exit status 1 in piped input) and need print nothing more than {@link #getMessage()} (the netkit
 * shell prints nothing: the command's own output said it); {@link #result()} is the command's result
 * object for callers in Java and in scripts.
 */
public final class CommandFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Object result;

    /** {@code message}: one line for shells that print failures; {@code result}: what the command produced. */
    public CommandFailure(String message, Object result) {
        super(message, null, false, false);
        this.result = result;
    }

    /** What the command produced before it failed (its output is that object's {@code toString}). */
    public Object result() {
        return result;
    }
}
