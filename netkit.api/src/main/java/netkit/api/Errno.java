package netkit.api;

/**
 * Error numbers raised by netkit calls: the Network Kit's codes plus the POSIX ones users of
 * a socket API expect. Numbers are the Linux values, so they read the same in logs and tools.
 */
public enum Errno {
    EPERM(1, "Operation not permitted"),
    EINTR(4, "Interrupted system call"),
    EIO(5, "Input/output error"),
    EBADF(9, "Bad socket token"),
    EWOULDBLOCK(11, "Operation would block"),
    ENOMEM(12, "Cannot allocate memory"),
    EACCES(13, "Permission denied"),
    EFAULT(14, "Bad address"),
    EBUSY(16, "Device or resource busy"),
    EINVAL(22, "Invalid argument"),
    EMFILE(24, "Too many open sockets"),
    EPIPE(32, "Broken pipe"),
    ENOTSOCK(88, "Socket operation on non-socket"),
    EDESTADDRREQ(89, "Destination address required"),
    EMSGSIZE(90, "Message too long"),
    EPROTOTYPE(91, "Protocol wrong type for socket"),
    ENOPROTOOPT(92, "Protocol not available"),
    EPROTONOSUPPORT(93, "Protocol not supported"),
    EOPNOTSUPP(95, "Operation not supported"),
    EAFNOSUPPORT(97, "Address family not supported by protocol"),
    EADDRINUSE(98, "Address already in use"),
    EADDRNOTAVAIL(99, "Cannot assign requested address"),
    ENETDOWN(100, "Network is down"),
    ENETUNREACH(101, "Network is unreachable"),
    ECONNABORTED(103, "Software caused connection abort"),
    ECONNRESET(104, "Connection reset by peer"),
    ENOBUFS(105, "No buffer space available"),
    EISCONN(106, "Transport endpoint is already connected"),
    ENOTCONN(107, "Transport endpoint is not connected"),
    ESHUTDOWN(108, "Cannot send after transport endpoint shutdown"),
    ETIMEDOUT(110, "Connection timed out"),
    ECONNREFUSED(111, "Connection refused"),
    EHOSTDOWN(112, "Host is down"),
    EHOSTUNREACH(113, "No route to host"),
    EALREADY(114, "Operation already in progress"),
    EINPROGRESS(115, "Operation now in progress");

    /** POSIX spelling: EAGAIN is the same error as EWOULDBLOCK. */
    public static final Errno EAGAIN = EWOULDBLOCK;

    private final int number;
    private final String message;

    Errno(int number, String message) {
        this.number = number;
        this.message = message;
    }

    /** The numeric value (Linux numbering). */
    public int number() {
        return number;
    }

    /** The strerror-style text. */
    public String message() {
        return message;
    }

    /** The errno with that number, or {@code null} if none. */
    public static Errno of(int number) {
        for (Errno e : values()) {
            if (e.number == number) {
                return e;
            }
        }
        return null;
    }
}
