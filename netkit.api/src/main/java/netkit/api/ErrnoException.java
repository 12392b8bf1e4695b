package netkit.api;

/** A failed netkit call: carries the {@link Errno} that says why. */
public class ErrnoException extends Exception {
    private static final long serialVersionUID = 1L;
    private final Errno errno;

    /** An exception for {@code errno} with its standard message. */
    public ErrnoException(Errno errno) {
        this(errno, null);
    }

    /** An exception for {@code errno} with extra detail appended to the standard message. */
    public ErrnoException(Errno errno, String detail) {
        super(errno.name() + ": " + errno.message() + (detail == null ? "" : " (" + detail + ")"));
        this.errno = errno;
    }

    /** The error number. */
    public Errno errno() {
        return errno;
    }
}
