package netkit.api.spi.protocol;

import java.util.List;
import java.util.Optional;
import netkit.api.ErrnoException;
import netkit.api.admin.SocketStatus;
import netkit.api.buffer.PacketBuffer;
import netkit.api.stats.CounterSnapshot;
import org.osgi.annotation.versioning.ConsumerType;

/** A transport protocol running on one stack: its sockets, port bindings and timers. */
@ConsumerType
public interface ProtocolInstance {
    /** Opens a new socket. */
    ProtocolSocket open(SocketOptions options) throws ErrnoException;

    /**
     * Handles a received packet whose IP protocol field names this protocol. Called on the stack's
     * loop with the stack lock held; the buffer's offset is at the transport header. Takes
     * ownership of the buffer. Must never throw on malformed input: count and drop it.
     */
    void receive(PacketBuffer packet, IpMeta ip);

    /**
     * For a {@code SOCK_RAW} protocol (whose {@link #receive} the stack never calls): shown every
     * datagram with its protocol number that this host delivers locally, after reassembly and
     * before the protocol serving that number (or the IP layer's ICMP error handling) takes it, as
     * Linux's {@code raw_local_deliver} runs before the protocol handler. The buffer's offset is at
     * the payload and the IP header lies at {@link IpMeta#headerOffset()}. The buffer stays the
     * caller's: copy what is kept, change nothing. Stack lock held; never throws on malformed input.
     *
     * @return whether some socket took a copy (a protocol nobody serves then draws no protocol
     *         unreachable, as on Linux)
     * @since 2.3
     */
    default boolean rawInput(PacketBuffer packet, IpMeta ip) {
        return false;
    }

    /** Handles an ICMP error that quotes a packet of this protocol (stack lock held). */
    default void icmpError(IcmpError error) {
    }

    /**
     * The protocol is leaving the stack: abort every socket (blocked callers and later calls get
     * {@link netkit.api.Errno#ENETDOWN}), cancel timers, free bindings. Stack lock held.
     */
    void detach();

    /**
     * A snapshot of this protocol's counters, one of the {@link netkit.api.stats} enums (such as
     * {@link netkit.api.stats.UdpCounter}), for {@link netkit.api.admin.NetworkAdmin#statistics()}.
     * Empty for a protocol without counters.
     */
    default Optional<CounterSnapshot<?>> counters() {
        return Optional.empty();
    }

    /**
     * What {@code netstat} shows of the sockets this protocol still runs though no token names them
     * any more: connections the application closed that are still finishing (TCP's orphans in
     * FIN_WAIT, CLOSING, LAST_ACK or TIME_WAIT), with token -1. Stack lock held. Empty by default.
     *
     * @since 2.1
     */
    default List<SocketStatus> orphans() {
        return List.of();
    }
}
