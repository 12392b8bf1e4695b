package netkit.console.serve;

import java.util.concurrent.atomic.AtomicLong;
import netkit.api.ErrnoException;
import netkit.api.SocketManager;

/**
 * A small standard service (RFC 862 echo, RFC 863 discard, ...) running on its own thread inside
 * the runtime, for diagnostics and interop tests. Stopping it closes its socket, which wakes the
 * thread.
 */
abstract class Service implements Runnable {
    final SocketManager sockets;
    final String protocol;
    final String name;
    final int port;
    final int socket;
    final AtomicLong packets = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    private final Thread thread;
    private volatile String state = "running";
    private volatile boolean stopping;

    Service(SocketManager sockets, String protocol, String name, int port, int socket) {
        this.sockets = sockets;
        this.protocol = protocol;
        this.name = name;
        this.port = port;
        this.socket = socket;
        this.thread = new Thread(this, "netkit-serve-" + protocol + "-" + name + "-" + port);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    @Override
    public final void run() {
        try {
            serve();
            state = "finished";
        } catch (ErrnoException e) {
            state = stopping ? "stopped" : "failed: " + e.errno();
        }
    }

    /** The service loop; returns or throws when the socket is closed or fails. */
    abstract void serve() throws ErrnoException;

    void stop() throws InterruptedException {
        stopping = true;
        try {
            sockets.closesocket(socket);
        } catch (ErrnoException ignored) {
            // already closed by a failure
        }
        thread.join(2000);
        state = "stopped";
    }

    String state() {
        return state;
    }

    /** Extra figures for {@code serve list}. */
    String details() {
        return "";
    }
}
