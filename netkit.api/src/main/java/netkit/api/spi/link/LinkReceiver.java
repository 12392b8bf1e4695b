package netkit.api.spi.link;

import org.osgi.annotation.versioning.ProviderType;
import netkit.api.buffer.PacketBuffer;

/** Where a link delivers received frames; may be called from any thread and takes ownership. */
@ProviderType
@FunctionalInterface
public interface LinkReceiver {
    /** A frame arrived. */
    void receive(PacketBuffer frame);

    /**
     * A frame arrived, delivered by the link's own receive thread: a thread that only reads the
     * link's medium (a socket, a device) and hands frames on, never a socket call's or a stack's
     * thread. The stack may process a small frame (an ACK) on this thread when it is otherwise idle,
     * as Linux processes a received packet on the CPU that took it (NAPI), instead of waking its own
     * thread for it; the call then returns after that processing. Takes ownership.
     *
     * @since 2.2
     */
    default void receiveOnLinkThread(PacketBuffer frame) {
        receive(frame);
    }

    /**
     * The link received something and discarded it itself (a malformed encapsulation, another
     * network's traffic): the stack counts it as a receive error of the interface, so that every
     * frame dropped is seen. May be called from any thread.
     *
     * @since 2.1
     */
    default void discarded() {
    }
}
