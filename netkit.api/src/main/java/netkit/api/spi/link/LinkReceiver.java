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
     * The link received something and discarded it itself (a malformed encapsulation, another
     * network's traffic): the stack counts it as a receive error of the interface, so that every
     * frame dropped is seen. May be called from any thread.
     *
     * @since 2.1
     */
    default void discarded() {
    }
}
