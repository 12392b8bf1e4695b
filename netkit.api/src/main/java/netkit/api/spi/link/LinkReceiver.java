package netkit.api.spi.link;

import org.osgi.annotation.versioning.ProviderType;
import netkit.api.buffer.PacketBuffer;

/** Where a link delivers received frames; may be called from any thread and takes ownership. */
@ProviderType
@FunctionalInterface
public interface LinkReceiver {
    /** A frame arrived. */
    void receive(PacketBuffer frame);
}
