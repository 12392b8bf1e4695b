package netkit.stack.socket;

/**
 * Who holds sockets: a bundle (by symbolic name and id) or a plain-Java user. Tokens are only
 * valid for the owner that created them; quotas are looked up by {@code bundle}.
 *
 * @param name   display name (bundle symbolic name and id)
 * @param id     unique id (bundle id)
 * @param bundle the name per-bundle quotas are configured under (Bundle-SymbolicName)
 */
public record Owner(String name, long id, String bundle) {
    /** An owner whose quota name is its display name (plain-Java users). */
    public Owner(String name, long id) {
        this(name, id, name);
    }
}
