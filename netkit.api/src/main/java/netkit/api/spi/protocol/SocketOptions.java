package netkit.api.spi.protocol;

/**
 * The socket-level ({@code SOL_SOCKET} and {@code IPPROTO_IP}) options of one socket. The socket
 * layer validates and stores them; protocols read them (under the stack lock) when they act.
 */
public final class SocketOptions {
    /** Default send and receive buffer size. */
    public static final int DEFAULT_BUFFER = 256 * 1024;
    /** Largest buffer size accepted. */
    public static final int MAX_BUFFER = 64 * 1024 * 1024;

    private volatile boolean nonBlocking;
    private volatile int receiveTimeoutMillis;
    private volatile int sendTimeoutMillis;
    private volatile boolean reuseAddress;
    private volatile boolean broadcast;
    private volatile boolean dontRoute;
    private volatile boolean keepAlive;
    private volatile int lingerSeconds = -1;
    private volatile int receiveBuffer = DEFAULT_BUFFER;
    private volatile int sendBuffer = DEFAULT_BUFFER;
    private volatile boolean receiveBufferSet;
    private volatile boolean sendBufferSet;
    private volatile int ttl = 64;
    private volatile int tos;
    private volatile boolean reusePort;
    private volatile boolean oobInline = true;
    private volatile int receiveLowWater = 1;

    /** SO_NONBLOCK. */
    public boolean nonBlocking() {
        return nonBlocking;
    }

    /** Sets SO_NONBLOCK. */
    public void nonBlocking(boolean v) {
        nonBlocking = v;
    }

    /** SO_RCVTIMEO in ms, 0 = none. */
    public int receiveTimeoutMillis() {
        return receiveTimeoutMillis;
    }

    /** Sets SO_RCVTIMEO. */
    public void receiveTimeoutMillis(int v) {
        receiveTimeoutMillis = v;
    }

    /** SO_SNDTIMEO in ms, 0 = none. */
    public int sendTimeoutMillis() {
        return sendTimeoutMillis;
    }

    /** Sets SO_SNDTIMEO. */
    public void sendTimeoutMillis(int v) {
        sendTimeoutMillis = v;
    }

    /** SO_REUSEADDR. */
    public boolean reuseAddress() {
        return reuseAddress;
    }

    /** Sets SO_REUSEADDR. */
    public void reuseAddress(boolean v) {
        reuseAddress = v;
    }

    /** SO_BROADCAST. */
    public boolean broadcast() {
        return broadcast;
    }

    /** Sets SO_BROADCAST. */
    public void broadcast(boolean v) {
        broadcast = v;
    }

    /** SO_DONTROUTE. */
    public boolean dontRoute() {
        return dontRoute;
    }

    /** Sets SO_DONTROUTE. */
    public void dontRoute(boolean v) {
        dontRoute = v;
    }

    /** SO_KEEPALIVE. */
    public boolean keepAlive() {
        return keepAlive;
    }

    /** Sets SO_KEEPALIVE. */
    public void keepAlive(boolean v) {
        keepAlive = v;
    }

    /** SO_LINGER: -1 off, 0 abort on close, n wait up to n seconds. */
    public int lingerSeconds() {
        return lingerSeconds;
    }

    /** Sets SO_LINGER. */
    public void lingerSeconds(int v) {
        lingerSeconds = v;
    }

    /** SO_RCVBUF in bytes. */
    public int receiveBuffer() {
        return receiveBuffer;
    }

    /** Whether SO_RCVBUF was set explicitly (which turns receive-buffer auto-tuning off). */
    public boolean receiveBufferSet() {
        return receiveBufferSet;
    }

    /** Sets SO_RCVBUF. */
    public void receiveBuffer(int v) {
        receiveBuffer = v;
        receiveBufferSet = true;
    }

    /** SO_SNDBUF in bytes. */
    public int sendBuffer() {
        return sendBuffer;
    }

    /**
     * Whether SO_SNDBUF was set explicitly (which turns send-buffer auto-tuning off, as Linux's
     * {@code SOCK_SNDBUF_LOCK}).
     *
     * @since 2.4
     */
    public boolean sendBufferSet() {
        return sendBufferSet;
    }

    /** Sets SO_SNDBUF. */
    public void sendBuffer(int v) {
        sendBuffer = v;
        sendBufferSet = true;
    }

    /** IP_TTL. */
    public int ttl() {
        return ttl;
    }

    /** Sets IP_TTL. */
    public void ttl(int v) {
        ttl = v;
    }

    /** IP_TOS. */
    public int tos() {
        return tos;
    }

    /** Sets IP_TOS. */
    public void tos(int v) {
        tos = v;
    }

    /** SO_REUSEPORT. */
    public boolean reusePort() {
        return reusePort;
    }

    /** Sets SO_REUSEPORT (it takes effect at the next bind). */
    public void reusePort(boolean v) {
        reusePort = v;
    }

    /** SO_OOBINLINE: urgent data stays in the stream (netkit's default, RFC 6093 §6). */
    public boolean oobInline() {
        return oobInline;
    }

    /** Sets SO_OOBINLINE. */
    public void oobInline(boolean v) {
        oobInline = v;
    }

    /** SO_RCVLOWAT in bytes, at least 1. */
    public int receiveLowWater() {
        return receiveLowWater;
    }

    /** Sets SO_RCVLOWAT (0 is stored as 1). */
    public void receiveLowWater(int v) {
        receiveLowWater = Math.max(1, v);
    }

    /** Copies every option from {@code o} (an accept socket inherits its listener's). */
    public void copyFrom(SocketOptions o) {
        nonBlocking = o.nonBlocking;
        receiveTimeoutMillis = o.receiveTimeoutMillis;
        sendTimeoutMillis = o.sendTimeoutMillis;
        reuseAddress = o.reuseAddress;
        broadcast = o.broadcast;
        dontRoute = o.dontRoute;
        keepAlive = o.keepAlive;
        lingerSeconds = o.lingerSeconds;
        receiveBuffer = o.receiveBuffer;
        receiveBufferSet = o.receiveBufferSet;
        sendBuffer = o.sendBuffer;
        sendBufferSet = o.sendBufferSet;
        ttl = o.ttl;
        tos = o.tos;
        reusePort = o.reusePort;
        oobInline = o.oobInline;
        receiveLowWater = o.receiveLowWater;
    }
}
