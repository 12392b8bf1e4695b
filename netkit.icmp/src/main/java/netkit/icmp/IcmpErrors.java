package netkit.icmp;

import netkit.api.Errno;
import netkit.api.wire.IcmpHeader;

/**
 * What an ICMP error means to a socket (RFC 1122 §4.2.3.9 and §4.1.3.3; the errno choices follow
 * Linux's icmp_err_convert so applications see familiar values).
 */
final class IcmpErrors {
    private IcmpErrors() {
    }

    /** The errno for a type and code. */
    static Errno errno(int type, int code) {
        if (type == IcmpHeader.DEST_UNREACHABLE) {
            return switch (code) {
                case 0, 6, 9, 11 -> Errno.ENETUNREACH;
                case 2 -> Errno.ENOPROTOOPT;
                case 3 -> Errno.ECONNREFUSED;
                case 4 -> Errno.EMSGSIZE;
                case 5 -> Errno.EOPNOTSUPP;
                case 7 -> Errno.EHOSTDOWN;
                case 13 -> Errno.EHOSTUNREACH;
                default -> Errno.EHOSTUNREACH;
            };
        }
        return Errno.EHOSTUNREACH; // time exceeded, parameter problem, source quench
    }

    /** RFC 1122 §4.2.3.9: protocol and port unreachable and fragmentation needed are hard errors. */
    static boolean hard(int type, int code) {
        return type == IcmpHeader.DEST_UNREACHABLE && (code == 2 || code == 3 || code == 4);
    }
}
