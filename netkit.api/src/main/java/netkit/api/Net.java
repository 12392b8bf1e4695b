package netkit.api;

/**
 * Constants of the socket API, with the Network Kit's names ({@code import static netkit.api.Net.*}).
 * Values follow Linux where the Network Kit does not fix them.
 */
public final class Net {
    private Net() {
    }

    /** Address family: IPv4, the only one. */
    public static final int AF_INET = 2;

    /** Socket type: reliable byte stream (TCP). */
    public static final int SOCK_STREAM = 1;
    /** Socket type: datagrams (UDP, ICMP). */
    public static final int SOCK_DGRAM = 2;
    /**
     * Socket type: raw IPv4 datagrams of one protocol (Linux's number; raw(7)). netkit serves
     * {@code socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)} only, from the ICMP bundle: the application
     * sends ICMP messages (the stack adds the IPv4 header) and receives every ICMP datagram for this
     * host, IPv4 header included; other protocols (and 0) give EPROTONOSUPPORT.
     */
    public static final int SOCK_RAW = 3;

    /** Protocol 0: the default protocol of the socket type. */
    public static final int IPPROTO_IP = 0;
    /** ICMP (RFC 792). */
    public static final int IPPROTO_ICMP = 1;
    /** TCP (RFC 9293). */
    public static final int IPPROTO_TCP = 6;
    /** UDP (RFC 768). */
    public static final int IPPROTO_UDP = 17;

    /** Bind to every local address (global binding). */
    public static final int INADDR_ANY = 0;
    /** Limited broadcast, 255.255.255.255. */
    public static final int INADDR_BROADCAST = 0xffffffff;
    /** 127.0.0.1. */
    public static final int INADDR_LOOPBACK = 0x7f000001;

    /** Option level of the socket layer. */
    public static final int SOL_SOCKET = 1;
    /** Option level of raw sockets (Linux's {@code SOL_RAW}, 255): {@link #ICMP_FILTER}. */
    public static final int SOL_RAW = 255;
    /**
     * {@link #SOL_RAW} option of raw ICMP sockets (Linux's number): a 32-bit mask of ICMP types
     * 0..31 to drop; bit {@code 1 << type} set means messages of that type are not received (types
     * from 32 up always are). 0, the default, receives everything.
     */
    public static final int ICMP_FILTER = 1;

    /** Allow bind over a TIME_WAIT connection or a specific address beside a wildcard one. */
    public static final int SO_REUSEADDR = 2;
    /** Read-only: the socket type. */
    public static final int SO_TYPE = 3;
    /** Read and clear the pending error (0 when none, else the errno number). */
    public static final int SO_ERROR = 4;
    /** Read-only (Linux's number): 1 when the socket is a listener, else 0; set gives ENOPROTOOPT. */
    public static final int SO_ACCEPTCONN = 30;
    /**
     * Share a local address and port (Linux's number; seed 004, unix socket FAQ IV.12): several UDP
     * sockets, or several TCP listeners, may bind the same address and port when every one of them set
     * this before {@code bind} (else EADDRINUSE). They form a group: each incoming datagram or
     * connection request goes to one member, chosen by a hash of the 4-tuple keyed per stack (so one
     * flow always reaches the same member while the group is unchanged); a broadcast datagram reaches
     * every member. A listener that closes leaves the group and its connections not yet accepted are
     * reset (Linux). Setting it after {@code bind} affects only a later bind.
     */
    public static final int SO_REUSEPORT = 15;
    /**
     * Urgent data inline (Linux's number). Non-zero, netkit's default (RFC 6093 §6 recommends
     * inline delivery; Linux's default is 0): an urgent byte stays in the stream. 0: as Linux without
     * {@code SO_OOBINLINE}, the last urgent byte is taken out of the stream and read once with
     * {@code recv(..., MSG_OOB)}; a normal read stops just before it (see {@link #MSG_OOB}).
     */
    public static final int SO_OOBINLINE = 10;
    /**
     * Receive low-water mark in bytes (Linux's number; default 1): on a stream socket, select reports
     * it readable, and a blocking {@code recv} returns, only when at least that many bytes (or the
     * requested length, if smaller) are there, or at end of stream, an error or a timeout (a
     * non-blocking recv returns what there is). 0 means 1; negative values are EINVAL (Linux makes them
     * {@code INT_MAX}); a stream socket clamps it to half its receive buffer (Linux's
     * {@code tcp_set_rcvlowat}). Stored, without effect, on datagram sockets (as Linux's).
     */
    public static final int SO_RCVLOWAT = 18;
    /**
     * Send low-water mark (Linux's number): reads 1; setting it gives ENOPROTOOPT (Linux: "not
     * changeable"), and write readiness is any free send-buffer space.
     */
    public static final int SO_SNDLOWAT = 19;
    /** Bypass routing: send only to directly connected hosts. */
    public static final int SO_DONTROUTE = 5;
    /** Permit sending to broadcast addresses. */
    public static final int SO_BROADCAST = 6;
    /** Send buffer size in bytes. */
    public static final int SO_SNDBUF = 7;
    /** Receive buffer size in bytes. */
    public static final int SO_RCVBUF = 8;
    /** Send keepalive probes on an idle connection (RFC 1122 §4.2.3.6). */
    public static final int SO_KEEPALIVE = 9;
    /** Linger on close: value &lt; 0 is off, 0 aborts with RST, n &gt; 0 waits up to n seconds. */
    public static final int SO_LINGER = 13;
    /** Receive timeout in milliseconds (0 = wait forever). */
    public static final int SO_RCVTIMEO = 20;
    /**
     * Send timeout in milliseconds (0 = wait forever): a blocked send returns what it queued, or
     * EWOULDBLOCK; a blocking stream connect gives EINPROGRESS and its handshake goes on (Linux).
     */
    public static final int SO_SNDTIMEO = 21;
    /** The Network Kit's no-block option: non-zero makes every call on the socket non-blocking. */
    public static final int SO_NONBLOCK = 0x4000;

    /** IP level option: type of service. */
    public static final int IP_TOS = 1;
    /** IP level option: time to live of outgoing packets (1..255). */
    public static final int IP_TTL = 2;
    /**
     * IP level option of raw sockets (Linux's number): the application would supply the IPv4 header
     * itself. Not supported: it reads 0, and setting it non-zero is ENOPROTOOPT (the stack always
     * writes the header).
     */
    public static final int IP_HDRINCL = 3;
    /**
     * IP level option of ICMP and UDP sockets: when non-zero, ICMP errors quoting the socket's
     * datagrams (unreachable, time exceeded; also the host unreachable the stack raises when ARP
     * fails) are received as messages, the ICMP error message itself (type, code, the quoted IP
     * header and 8 bytes) from the host that reported it, instead of an errno on the next call; what
     * Linux ping and traceroute read through {@code IP_RECVERR}. An ICMP socket receives them among
     * its echo replies; a UDP socket (connected or not, soft errors too, as Linux) in its error
     * queue, read with {@link #MSG_ERRQUEUE}.
     */
    public static final int IP_RECVERR = 11;
    /**
     * IP level option of ICMP sockets: when non-zero, every datagram the socket sends carries an
     * RFC 791 Record Route option with room for 9 addresses (what Linux ping's {@code -R} sets
     * through {@code IP_OPTIONS}); each host records its address in it, and
     * {@link RecvInfo#ipOptions()} shows the options a reply came back with.
     */
    public static final int IP_RECORDROUTE = 0x4001;

    /** TCP level option: disable Nagle's algorithm (RFC 896). */
    public static final int TCP_NODELAY = 1;
    /**
     * TCP level option: maximum segment size. Set before the handshake it is the MSS announced in the
     * SYN (or a listener's SYN-ACKs) and a ceiling for what is sent; 88..32767, or 0 for the route's
     * (Linux), else EINVAL. Read: the connection's sending MSS (less the options every segment
     * carries), before the handshake the value set or 536.
     */
    public static final int TCP_MAXSEG = 2;
    /** TCP level option: idle seconds before the first keepalive probe. */
    public static final int TCP_KEEPIDLE = 4;
    /** TCP level option: seconds between keepalive probes. */
    public static final int TCP_KEEPINTVL = 5;
    /** TCP level option: unanswered probes before the connection is dropped. */
    public static final int TCP_KEEPCNT = 6;
    /**
     * TCP level option (Linux's number): milliseconds that sent data, or a SYN, may stay
     * unacknowledged before the connection is given up with ETIMEDOUT, whatever the retransmission
     * count (RFC 9293 MUST-21, RFC 5482); 0, the default, leaves it to the stack's retry counts.
     * Negative values are EINVAL. A zero window the peer keeps answering is not a timeout (MUST-37).
     */
    public static final int TCP_USER_TIMEOUT = 18;

    /**
     * Flag: out-of-band data. On a stream send the data is urgent (RFC 9293 §3.8.5): it goes in the
     * stream, marked with URG and the urgent pointer after its last byte, and the receiver's select
     * reports an exception from the arrival of that byte until it has been read (inline) or taken.
     * A receiver's normal {@code recv} stops just before the last urgent byte (the mark), as Linux's.
     * With {@link #SO_OOBINLINE} on (the default) the byte is read in the stream and
     * {@code recv(..., MSG_OOB)} gives EINVAL; with it off the byte is left out of the stream and
     * {@code recv(..., MSG_OOB)} returns it once (Linux {@code tcp_recv_urg}): EINVAL when there is no
     * urgent byte or it was taken already, EWOULDBLOCK (never blocking) while it is announced but not
     * yet arrived, 0 once the stream has ended; {@link #MSG_PEEK} leaves it.
     */
    public static final int MSG_OOB = 0x1;
    /** Flag: look at received data without removing it. */
    public static final int MSG_PEEK = 0x2;
    /** Flag: do not route. */
    public static final int MSG_DONTROUTE = 0x4;
    /** Result flag: the datagram was longer than the buffer and was truncated. */
    public static final int MSG_TRUNC = 0x20;
    /** Flag: this call is non-blocking. */
    public static final int MSG_DONTWAIT = 0x40;
    /** Flag: block until the whole buffer is filled. */
    public static final int MSG_WAITALL = 0x100;
    /**
     * Flag of {@code recvfrom} on a UDP socket with {@link #IP_RECVERR}: take the oldest ICMP error
     * message from the socket's error queue (the sender is the host that reported it) instead of a
     * datagram; never blocks ({@link Errno#EWOULDBLOCK} when the queue is empty). While the queue
     * holds messages, {@code select} reports the socket readable. Linux's value.
     */
    public static final int MSG_ERRQUEUE = 0x2000;
    /**
     * Flag (netkit's own): this call is non-blocking and, when it can do nothing now (no data, no
     * buffer space), returns {@link #WOULDBLOCK} instead of throwing {@link Errno#EWOULDBLOCK}: the
     * cheap path of an event loop, which allocates nothing when the socket is empty. Other errors
     * are still thrown. For send, recv, sendto and recvfrom, array and ByteBuffer forms.
     */
    public static final int MSG_TRY = 0x10000;
    /** The result of a {@link #MSG_TRY} call that could do nothing now (Linux's EAGAIN, not thrown). */
    public static final int WOULDBLOCK = -1;

    /** shutdown: no more receives. */
    public static final int SHUT_RD = 0;
    /** shutdown: no more sends. */
    public static final int SHUT_WR = 1;
    /** shutdown: neither. */
    public static final int SHUT_RDWR = 2;
}
