package netkit.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told when a socket becomes ready, so an event loop needs no polling thread
 * ({@link SocketManager#readinessListener}). The bits are those of {@link SocketManager#poll}.
 *
 * <p>Edge-triggered on rising bits: the listener is called when a bit is set that was clear when the
 * socket was last looked at, by the stack or by one of the owner's calls on the token (a
 * {@code recv} that emptied the socket, a {@code send} that filled it, an {@code accept} that took the
 * last connection, a {@code poll}). A reader therefore reads until {@link Net#WOULDBLOCK} (or end of
 * stream) before it waits for the next call, as with Linux's {@code EPOLLET}; a bit that stays set is
 * not reported again.
 *
 * <p>Threading: called on the stack's event loop thread, without the stack lock held, after the
 * received packets or timers that changed the socket were processed (several changes may be
 * reported as one call). The listener must not block: it may make non-blocking calls on the stack
 * ({@link Net#MSG_TRY}, {@link SocketManager#poll}) or hand the work to another thread, but a
 * blocking call on this thread stops the stack's receive path until it returns. A listener that
 * throws is logged and keeps its registration; the stack and other listeners go on.
 */
@ConsumerType
@FunctionalInterface
public interface ReadinessListener {
    /** Data, end of stream, a pending connection or an error: a read or accept will not block. */
    int READ = 1;
    /** Buffer space, or a finished connect: a write will not block. */
    int WRITE = 2;
    /** A pending error (take it with {@link Net#SO_ERROR}) or urgent data; a closed peer shows as READ. */
    int EXCEPTION = 4;

    /**
     * Some of {@code readiness}'s bits became set.
     *
     * @param socket    the token
     * @param readiness the socket's {@link #READ}, {@link #WRITE}, {@link #EXCEPTION} bits now
     */
    void ready(int socket, int readiness);
}
