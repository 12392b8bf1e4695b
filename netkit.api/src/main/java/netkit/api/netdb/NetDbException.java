package netkit.api.netdb;

/** A failed host lookup, with its {@code h_errno}-style {@link HostError}. */
public class NetDbException extends Exception {
    private static final long serialVersionUID = 1L;
    private final HostError error;

    /**
     * @param error why
     * @param detail what was looked up and what happened, for people
     */
    public NetDbException(HostError error, String detail) {
        super(detail);
        if (error == null) {
            throw new IllegalArgumentException("error is null");
        }
        this.error = error;
    }

    /** Why the lookup failed. */
    public HostError error() {
        return error;
    }
}
