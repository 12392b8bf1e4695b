package netkit.dns;

/** A DNS message that does not parse (RFC 1035 §4): dropped by the resolver and counted. */
public final class MalformedMessageException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param why what is wrong, and where */
    public MalformedMessageException(String why) {
        super(why, null, false, false);
    }
}
