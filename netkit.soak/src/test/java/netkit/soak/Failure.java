package netkit.soak;

import netkit.api.Errno;

/** A socket call failed (the errno is null when it threw something else than an ErrnoException). */
final class Failure extends Exception {
    private static final long serialVersionUID = 1L;
    final Call call;
    final transient Errno errno;

    Failure(Call call, Errno errno) {
        super(call + ": " + errno, null, false, false);
        this.call = call;
        this.errno = errno;
    }
}
