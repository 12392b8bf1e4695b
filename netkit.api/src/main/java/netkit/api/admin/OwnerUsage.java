package netkit.api.admin;

/**
 * What one owner of sockets (a bundle) holds of its quota on a stack, for {@code netstat -b}.
 *
 * @param owner          owning bundle's symbolic name and id (or the plain-Java owner's name)
 * @param sockets        sockets it holds
 * @param maxSockets     its socket quota (EMFILE beyond)
 * @param bufferBytes    bytes of socket buffers its sockets reserve (SO_SNDBUF + SO_RCVBUF)
 * @param maxBufferBytes its buffer quota (ENOBUFS beyond)
 */
public record OwnerUsage(String owner, int sockets, int maxSockets, long bufferBytes, long maxBufferBytes) {
}
