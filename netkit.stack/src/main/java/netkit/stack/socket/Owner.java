package netkit.stack.socket;

/**
 * Who holds sockets: a bundle (by symbolic name and id) or a plain-Java user. Tokens are only
 * valid for the owner that created them.
 *
 * @param name display name (bundle symbolic name)
 * @param id   unique id (bundle id)
 */
public record Owner(String name, long id) {
}
