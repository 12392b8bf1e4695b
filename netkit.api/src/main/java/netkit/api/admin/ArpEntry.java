package netkit.api.admin;

/**
 * One neighbour of the ARP cache.
 *
 * @param address   IPv4 address
 * @param mac       resolved MAC, 0 while incomplete
 * @param iface     interface
 * @param state     {@code REACHABLE}, {@code STALE}, {@code INCOMPLETE} or {@code FAILED}
 * @param ageMillis time since the entry was last confirmed
 * @param queued    packets waiting for resolution
 */
public record ArpEntry(int address, long mac, String iface, String state, long ageMillis, int queued) {
}
