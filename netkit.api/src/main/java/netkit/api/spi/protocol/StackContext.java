package netkit.api.spi.protocol;

import org.osgi.annotation.versioning.ProviderType;
import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.locks.ReentrantLock;
import netkit.api.ErrnoException;
import netkit.api.buffer.PacketBuffer;
import netkit.api.buffer.PacketPool;
import netkit.api.time.EventLoop;
import netkit.api.time.Timer;

/**
 * What a stack gives the protocol instances attached to it: time, the stack lock, routing and the
 * IPv4 output path. The stack receives ICMP errors itself and passes each to the protocol named in
 * its quote through {@link ProtocolInstance#icmpError}.
 *
 * <p>Locking: methods that say "Caller holds the stack lock" must be called with {@link #lock()}
 * held (from a socket call that took it, or from a received packet or timer, which run with it held);
 * they do not take it themselves. The others may be called from any thread.
 */
@ProviderType
public interface StackContext {
    /** The stack's name. */
    String stackName();

    /** The loop that runs received packets and timers. */
    EventLoop loop();

    /**
     * The stack lock: held while packets are received and timers run; protocols take it in their
     * socket calls and wait on conditions made from it.
     */
    ReentrantLock lock();

    /** Runs {@code task} on the loop with the stack lock held after {@code delayNanos}. */
    Timer schedule(long delayNanos, Runnable task);

    /** The stack's packet buffers: protocols take the buffers of the packets they send from it. */
    PacketPool pool();

    /**
     * Reproducible randomness, seeded per stack so that a simulation replays: for simulation
     * choices only, never for secrets or for anything an attacker must not predict (use
     * {@link #secureRandom()}).
     */
    Random random();

    /**
     * Cryptographically strong randomness for secrets and for every value an attacker must not
     * predict: hash keys (RFC 6528 ISNs, RFC 4987 SYN cookies), timestamp offsets, ephemeral ports
     * (RFC 6056), IP identification. Thread-safe.
     */
    SecureRandom secureRandom();

    /**
     * Looks up the route to {@code destination}. Caller holds the stack lock.
     *
     * @param onLinkOnly SO_DONTROUTE: only directly connected destinations
     * @throws ErrnoException ENETUNREACH when no route matches; ENETDOWN when the interface is down
     */
    Route route(int destination, boolean onLinkOnly) throws ErrnoException;

    /** Whether {@code address} is one of this stack's interface addresses. Any thread. */
    boolean isLocalAddress(int address);

    /** Whether {@code address} is the limited broadcast or an interface's subnet broadcast. Any thread. */
    boolean isBroadcast(int address);

    /**
     * Sends a transport payload as an IPv4 datagram along {@code route} (fragmenting when it is
     * larger than the route MTU and DF is clear). Takes ownership of {@code payload}, whose header
     * room receives the IP and link headers. Caller holds the stack lock.
     *
     * @throws ErrnoException EMSGSIZE when too large (or DF and above the MTU); ENETDOWN; ENOBUFS
     */
    void output(PacketBuffer payload, Route route, int protocol, int ttl, int tos, boolean dontFragment)
            throws ErrnoException;

    /**
     * The same with IP options (RFC 791) in the header: {@code options} a multiple of 4 bytes, at
     * most 40 (EINVAL otherwise). A Record Route option with room gets this host's address, as
     * Linux fills it; only the first fragment carries the options (Record Route is not copied).
     */
    void output(PacketBuffer payload, Route route, int protocol, int ttl, int tos, boolean dontFragment,
            byte[] options) throws ErrnoException;

    /**
     * Sends an ICMP destination unreachable (RFC 792) about a received packet, subject to RFC 1122
     * §3.2.2 (never about ICMP errors, broadcasts or non-first fragments) and rate limiting. Caller
     * holds the stack lock (it is called while a received packet is handled).
     */
    void sendUnreachable(PacketBuffer offending, IpMeta ip, int code);

    /** Wakes {@code select} callers: some socket's readiness may have changed. Stack lock held. */
    void readinessChanged();
}
