package netkit.compat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import netkit.api.SockAddr;

/** Conversions between {@code java.net} addresses and netkit's int addresses (IPv4 only). */
final class Inet4 {
    private Inet4() {
    }

    /** The address as netkit's int; null and the wildcard are {@code INADDR_ANY}. */
    static int address(InetAddress a) throws SocketException {
        if (a == null || a.isAnyLocalAddress()) {
            return 0;
        }
        if (!(a instanceof Inet4Address)) {
            throw new SocketException("Protocol family unavailable");
        }
        byte[] b = a.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    /** netkit's int as an {@link InetAddress} (no name lookup). */
    static InetAddress inet(int address) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (address >>> 24), (byte) (address >>> 16),
                    (byte) (address >>> 8), (byte) address});
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are always an address", e);
        }
    }

    /** An {@link InetSocketAddress} as a {@link SockAddr}; an unresolved one is an UnknownHostException. */
    static SockAddr sockAddr(SocketAddress endpoint) throws java.io.IOException {
        if (!(endpoint instanceof InetSocketAddress)) {
            throw new IllegalArgumentException("Unsupported address type");
        }
        InetSocketAddress isa = (InetSocketAddress) endpoint;
        if (isa.isUnresolved()) {
            throw new UnknownHostException(isa.getHostName());
        }
        return SockAddr.of(address(isa.getAddress()), isa.getPort());
    }
}
