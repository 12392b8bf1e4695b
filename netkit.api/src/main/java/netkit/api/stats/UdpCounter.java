package netkit.api.stats;

/** UDP counters: RFC 4113 udp group, plus Linux's InCsumErrors and RcvbufErrors. */
public enum UdpCounter implements Counter {
    IN_DATAGRAMS("InDatagrams"),
    NO_PORTS("NoPorts"),
    IN_ERRORS("InErrors"),
    IN_CSUM_ERRORS("InCsumErrors"),
    /** Datagrams dropped because the socket's receive queue was full (also counted in InErrors). */
    RCVBUF_ERRORS("RcvbufErrors"),
    OUT_DATAGRAMS("OutDatagrams");

    private final String displayName;

    UdpCounter(String displayName) {
        this.displayName = displayName;
    }

    @Override
    public String displayName() {
        return displayName;
    }
}
