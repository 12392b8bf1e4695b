package netkit.console.serve;

import java.util.concurrent.atomic.AtomicLong;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.SocketManager;

/**
 * A small standard service (RFC 862 echo, RFC 863 discard, ...) running on its own thread inside
 * the runtime, for diagnostics and interop tests. Stopping it closes its socket, which wakes the
 * thread. When its protocol leaves the stack (its bundle stops: the socket fails with ENETDOWN)
 * the service waits, re-opening its socket every {@value #REOPEN_MILLIS} ms, and serves again
 * once the protocol is back.
 */
abstract class Service implements Runnable {
    static final long REOPEN_MILLIS = 250;
    final SocketManager sockets;
    final String protocol;
    final String name;
    final int port;
    /** The current socket: replaced when the protocol returns. */
    volatile int socket = -1;
    final AtomicLong packets = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    private final Thread thread;
    private volatile String state = "running";
    private volatile boolean stopping;

    Service(SocketManager sockets, String protocol, String name, int port) {
        this.sockets = sockets;
        this.protocol = protocol;
        this.name = name;
        this.port = port;
        this.thread = new Thread(this, "netkit-serve-" + protocol + "-" + name + "-" + port);
        this.thread.setDaemon(true);
    }

    /** Opens the socket (errors go to the caller) and starts serving on it. */
    void start() throws ErrnoException {
        socket = open();
        thread.start();
    }

    @Override
    public final void run() {
        while (true) {
            try {
                serve();
                state = "finished";
                return;
            } catch (ErrnoException e) {
                if (stopping) {
                    state = "stopped";
                    return;
                }
                if (e.errno() != Errno.ENETDOWN) {
                    state = "failed: " + e.errno();
                    return;
                }
            }
            state = "waiting: protocol down";
            closeQuietly(socket);
            if (!reopen()) {
                state = "stopped";
                return;
            }
            state = "running";
        }
    }

    /** Re-opens the socket once the protocol is back; false when the service stops first. */
    private boolean reopen() {
        while (!stopping) {
            try {
                int s = open();
                synchronized (this) {
                    if (stopping) {
                        closeQuietly(s);
                        return false;
                    }
                    socket = s;
                }
                return true;
            } catch (ErrnoException stillDown) {
                // EPROTONOSUPPORT until the protocol is registered again
            }
            try {
                Thread.sleep(REOPEN_MILLIS);
            } catch (InterruptedException e) {
                return false;
            }
        }
        return false;
    }

    /** A new socket bound to {@link #port}, ready for {@link #serve()}. */
    abstract int open() throws ErrnoException;

    /** The service loop; returns or throws when the socket is closed or fails. */
    abstract void serve() throws ErrnoException;

    void stop() throws InterruptedException {
        stopping = true;
        int s;
        synchronized (this) {
            s = socket;
        }
        closeQuietly(s);
        thread.interrupt(); // wakes a wait for the protocol
        thread.join(2000);
        state = "stopped";
    }

    void closeQuietly(int s) {
        try {
            sockets.closesocket(s);
        } catch (ErrnoException ignored) {
            // already closed by a failure
        }
    }

    String state() {
        return state;
    }

    /** Extra figures for {@code serve list}. */
    String details() {
        return "";
    }
}
