package netkit.dhcp;

/** The client states of RFC 2131 §4.4 (figure 5), plus the RFC 5227 address check before BOUND. */
public enum DhcpState {
    /** Not running (before start, after stop). */
    STOPPED,
    /** About to discover (after a random delay, RFC 2131 §4.4.1). */
    INIT,
    /** DHCPDISCOVER sent, waiting for offers. */
    SELECTING,
    /** DHCPREQUEST for an offer sent, waiting for DHCPACK or DHCPNAK. */
    REQUESTING,
    /** Restarting with a previous address: INIT-REBOOT's DHCPREQUEST sent (RFC 2131 §4.4.2). */
    REBOOTING,
    /** Acknowledged; probing the address with ARP before using it (RFC 5227 §2.1.1, RFC 2131 §4.4.1). */
    PROBING,
    /** The address is in use until T1. */
    BOUND,
    /** After T1: renewing with the leasing server by unicast (RFC 2131 §4.4.5). */
    RENEWING,
    /** After T2: rebinding with any server by broadcast. */
    REBINDING
}
