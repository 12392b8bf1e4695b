package netkit.api.spi.autoconf;

import netkit.api.ErrnoException;
import netkit.api.spi.protocol.StackContext;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A stack's support for address autoconfiguration clients, registered by the stack as a service.
 * Every method except {@link #context()} requires the stack lock ({@code context().lock()}); the
 * handlers it calls run on the stack's loop with the lock held.
 */
@ProviderType
public interface AutoconfSupport {
    /** The stack: its loop (the only clock a client uses), lock, timers and seeded randomness. */
    StackContext context();

    /**
     * Binds UDP port {@code port} on interface {@code iface}: every UDP datagram to that port that
     * arrives on that interface goes to {@code handler} instead of the UDP layer, when it is
     * addressed to a broadcast address, to the interface's address or, while the interface has no
     * address, to any unicast address (a DHCP server may unicast its reply to the offered address,
     * RFC 2131 §4.1). Fragments are not delivered. Caller holds the stack lock.
     *
     * @throws ErrnoException EADDRNOTAVAIL when there is no such interface; EADDRINUSE when the port
     *                        is already bound on it
     */
    InterfacePort bind(String iface, int port, DatagramHandler handler) throws ErrnoException;

    /**
     * Starts watching {@code iface} for ARP packets that show {@code address} in use by another
     * host (RFC 5227 §2.1.1): any ARP packet whose sender address is {@code address}, or a probe
     * for it from another hardware address. {@link ArpProbe#send()} sends the probes. Caller holds
     * the stack lock.
     *
     * @throws ErrnoException EADDRNOTAVAIL when there is no such interface
     */
    ArpProbe probe(String iface, int address, ConflictHandler handler) throws ErrnoException;

    /** Receives the datagrams of an {@link InterfacePort}. Called with the stack lock held. */
    @FunctionalInterface
    interface DatagramHandler {
        /**
         * A UDP datagram (checksum verified) from {@code source}:{@code sourcePort} to
         * {@code destination}; the payload is {@code data[offset..offset+length)}, valid during
         * the call only.
         */
        void datagram(int source, int sourcePort, int destination, byte[] data, int offset, int length);
    }

    /** Told when an ARP packet shows a probed address in use. Called with the stack lock held. */
    @FunctionalInterface
    interface ConflictHandler {
        /** Another host ({@code mac}) uses or probes for the address. */
        void conflict(long mac);
    }
}
