package netkit.api.spi;

import netkit.api.buffer.PacketBuffer;

/** Where a link delivers received frames; may be called from any thread and takes ownership. */
@FunctionalInterface
public interface LinkReceiver {
    /** A frame arrived. */
    void receive(PacketBuffer frame);
}
