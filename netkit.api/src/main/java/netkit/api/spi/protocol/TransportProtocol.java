package netkit.api.spi.protocol;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A transport protocol, registered as an OSGi service (or handed to a plain-Java stack). It serves
 * {@code socket(family, type, protocol)} for its triple, and protocol 0 of its type when it is
 * the type's default. The stack {@link #attach}es it once per stack; the protocol may come and go
 * at runtime.
 */
@ConsumerType
public interface TransportProtocol {
    /** Service property naming the protocol ({@code udp}, {@code tcp}, {@code icmp}). */
    String PROPERTY_NAME = "netkit.protocol";

    /** Short name, e.g. {@code udp}. */
    String name();

    /** Address family served ({@code AF_INET}). */
    int family();

    /**
     * Socket type served ({@code SOCK_STREAM}, {@code SOCK_DGRAM}, or {@code SOCK_RAW}: a raw
     * protocol receives nothing through {@link ProtocolInstance#receive} but is shown every datagram
     * of its protocol number through {@link ProtocolInstance#rawInput}, beside the protocol that
     * serves the number).
     */
    int type();

    /** Protocol number: both the {@code socket()} argument and the IPv4 protocol field. */
    int protocol();

    /** Whether {@code socket(family, type, 0)} means this protocol. */
    boolean defaultForType();

    /** Starts an instance of the protocol on one stack. */
    ProtocolInstance attach(StackContext stack);
}
