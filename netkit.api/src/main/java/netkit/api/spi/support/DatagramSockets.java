package netkit.api.spi.support;

import netkit.api.spi.protocol.StackContext;
import netkit.api.spi.protocol.SocketOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The open sockets of a datagram protocol instance, shared by UDP and ICMP: opening under the
 * stack lock, forgetting closed ones, and detaching them all when the protocol leaves (a socket
 * opened after that is born detached).
 *
 * @param <S> the protocol's socket type
 */
public final class DatagramSockets<S extends DatagramSocketBase> {
    private final StackContext ctx;
    private final List<S> open = new ArrayList<>();
    private boolean detached;

    /** The sockets of a protocol instance on {@code ctx}. */
    public DatagramSockets(StackContext ctx) {
        this.ctx = ctx;
    }

    /** Creates a socket with {@code factory} and tracks it. */
    public S open(Function<SocketOptions, S> factory, SocketOptions options) {
        ctx.lock().lock();
        try {
            S s = factory.apply(options);
            if (detached) {
                s.detach();
            } else {
                open.add(s);
            }
            return s;
        } finally {
            ctx.lock().unlock();
        }
    }

    /** Stops tracking a closed socket (lock held). */
    public void forget(DatagramSocketBase s) {
        open.remove(s);
    }

    /** The protocol left: every socket fails with ENETDOWN from now on (lock held). */
    public void detachAll() {
        detached = true;
        for (S s : new ArrayList<>(open)) {
            s.detach();
        }
        open.clear();
    }
}
