package netkit.compat;

import java.net.Socket;
import java.net.SocketException;

/** A {@link Socket} whose implementation is a netkit token ({@link NetkitSocketImpl}); the JDK keeps its state. */
final class NetkitSocket extends Socket {
    NetkitSocket(NetkitSocketImpl impl) throws SocketException {
        super(impl);
    }
}
