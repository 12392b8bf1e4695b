package netkit.link.loopback;

import java.util.Set;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.link.Link;
import netkit.api.spi.link.LinkConfig;
import netkit.api.spi.link.LinkDriver;
import netkit.api.spi.link.LinkReceiver;

/**
 * The loopback driver: every frame sent comes straight back. Frames are bare IPv4 packets, the MTU
 * is 64 KiB and the link says "checksum not needed", so local traffic is cheap.
 */
public class LoopbackDriver implements LinkDriver {
    /** Driver name. */
    public static final String NAME = "loopback";
    /** Default MTU (Linux lo uses 65536). */
    public static final int DEFAULT_MTU = 65536;

    @Override
    public String name() {
        return NAME;
    }

    /** None: a loopback link has nothing to configure beyond the MTU. */
    @Override
    public Set<String> parameterKeys() {
        return Set.of();
    }

    @Override
    public Link open(LinkConfig config, LinkReceiver receiver) {
        return new LoopbackLink(config.mtu() == 0 ? DEFAULT_MTU : config.mtu(), receiver);
    }

    private static final class LoopbackLink implements Link {
        private final int mtu;
        private final LinkReceiver receiver;
        private volatile boolean closed;

        LoopbackLink(int mtu, LinkReceiver receiver) {
            this.mtu = mtu;
            this.receiver = receiver;
        }

        @Override
        public Kind kind() {
            return Kind.LOOPBACK;
        }

        @Override
        public int mtu() {
            return mtu;
        }

        @Override
        public long mac() {
            return 0;
        }

        @Override
        public boolean checksumNotNeeded() {
            return true;
        }

        @Override
        public boolean transmit(PacketBuffer frame) {
            if (closed) {
                frame.release();
                return false;
            }
            receiver.receive(frame); // the receiver queues it for the stack's loop: no re-entry
            return true;
        }

        @Override
        public String driver() {
            return NAME;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
