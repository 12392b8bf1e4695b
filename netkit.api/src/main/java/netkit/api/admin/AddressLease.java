package netkit.api.admin;

/**
 * What {@code ifconfig} shows of a {@link DynamicAddress}: its origin and the seconds left, at the
 * time of the status, until it expires, until renewal (T1) and until rebinding (T2) (0 once past).
 *
 * @param origin         who installed it
 * @param validSeconds   seconds until the address expires
 * @param renewSeconds   seconds until T1
 * @param rebindSeconds  seconds until T2
 */
public record AddressLease(String origin, long validSeconds, long renewSeconds, long rebindSeconds) {
}
