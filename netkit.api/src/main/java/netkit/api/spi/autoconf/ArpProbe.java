package netkit.api.spi.autoconf;

import org.osgi.annotation.versioning.ProviderType;

/**
 * An RFC 5227 address probe on one interface, from {@link AutoconfSupport#probe}: conflicts go to
 * its handler until it is closed. Caller holds the stack lock.
 */
@ProviderType
public interface ArpProbe extends AutoCloseable {
    /**
     * Sends one ARP probe (RFC 5227 §2.1.1: a broadcast request with sender protocol address 0 and
     * the probed address as target); nothing when the interface has no Ethernet link.
     */
    void send();

    /** Stops watching. Idempotent. */
    @Override
    void close();
}
