package netkit.api.netdb;

/**
 * Why a host lookup failed: the {@code h_errno} values of the netdb calls, with their numbers.
 */
public enum HostError {
    /** No such host: the name does not exist (RCODE 3, NXDOMAIN, RFC 1035 §4.1.1), nor the address in the hosts table or reverse zone. */
    HOST_NOT_FOUND(1),
    /** No answer now: the name servers timed out or failed (SERVFAIL); a later try may succeed. */
    TRY_AGAIN(2),
    /** An answer that retrying will not change: refused, not implemented, a malformed query or reply. */
    NO_RECOVERY(3),
    /** The name exists but has no record of the type asked for (RFC 2308 §2.2, NODATA). */
    NO_DATA(4);

    private final int code;

    HostError(int code) {
        this.code = code;
    }

    /** The C {@code h_errno} number. */
    public int code() {
        return code;
    }
}
