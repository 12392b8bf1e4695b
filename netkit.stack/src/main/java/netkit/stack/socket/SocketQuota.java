package netkit.stack.socket;

/**
 * What one owner (a bundle) may hold on a stack: sockets, and bytes of socket buffers reserved
 * (the sum of its sockets' {@code SO_SNDBUF} and {@code SO_RCVBUF}). Beyond the first, {@code socket}
 * and {@code accept} give EMFILE; beyond the second, {@code socket}, {@code accept} and a
 * {@code setsockopt} raising a buffer give ENOBUFS. -1 in a field means the stack's default
 * ({@link netkit.stack.StackSettings#socketsPerOwner()}, {@link netkit.stack.StackSettings#bufferBytesPerOwner()}).
 *
 * @param maxSockets     sockets open at once, 0 or more, or -1
 * @param maxBufferBytes bytes of buffers reserved at once, 0 or more, or -1
 */
public record SocketQuota(int maxSockets, long maxBufferBytes) {
    /** The stack's defaults in both fields. */
    public static final SocketQuota DEFAULTS = new SocketQuota(-1, -1);

    /**
     * @throws IllegalArgumentException when a field is below -1
     */
    public SocketQuota {
        if (maxSockets < -1) {
            throw new IllegalArgumentException("maxSockets " + maxSockets + " must be -1 (the default) or more");
        }
        if (maxBufferBytes < -1) {
            throw new IllegalArgumentException("maxBufferBytes " + maxBufferBytes + " must be -1 (the default) or more");
        }
    }
}
