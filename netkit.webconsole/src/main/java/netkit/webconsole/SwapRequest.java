package netkit.webconsole;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A "swap link driver" form, checked before anything changes: the interface must exist, the driver
 * must be present, and each parameter must be a plain {@code key=value}. Only such words reach the
 * {@code netkit:link swap} command line, so nothing in a form can be read as Gogo syntax.
 *
 * @param iface  interface name
 * @param driver link driver name
 * @param params driver parameters, {@code key=value}
 */
record SwapRequest(String iface, String driver, List<String> params) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    private static final Pattern PARAM = Pattern.compile("[A-Za-z0-9_.-]{1,32}=[A-Za-z0-9_.:,%/+-]{0,200}");

    /**
     * Checks a form's fields.
     *
     * @param interfaces the interfaces there are
     * @param drivers    the link drivers present
     * @throws IllegalArgumentException with one line saying what is wrong
     */
    static SwapRequest parse(String iface, String driver, String params, Collection<String> interfaces,
            Collection<String> drivers) {
        if (iface == null || iface.isBlank()) {
            throw new IllegalArgumentException("no interface given");
        }
        iface = iface.strip();
        if (!NAME.matcher(iface).matches() || !interfaces.contains(iface)) {
            throw new IllegalArgumentException("no interface '" + printable(iface) + "'");
        }
        if (driver == null || driver.isBlank()) {
            throw new IllegalArgumentException("no driver given");
        }
        driver = driver.strip();
        if (!NAME.matcher(driver).matches() || !drivers.contains(driver)) {
            throw new IllegalArgumentException("no link driver '" + printable(driver) + "' (present: "
                    + String.join(" ", drivers) + ")");
        }
        List<String> list = new ArrayList<>();
        if (params != null) {
            for (String p : params.strip().split("\\s+")) {
                if (p.isEmpty()) {
                    continue;
                }
                if (!PARAM.matcher(p).matches()) {
                    throw new IllegalArgumentException("not a driver parameter: '" + printable(p)
                            + "' (key=value: letters, digits and . _ - in the key; no spaces or quotes in the value)");
                }
                list.add(p);
            }
        }
        return new SwapRequest(iface, driver, List.copyOf(list));
    }

    /** The console command that does the swap. */
    String command() {
        StringBuilder sb = new StringBuilder("netkit:link swap ").append(iface).append(' ').append(driver);
        for (String p : params) {
            sb.append(' ').append(p);
        }
        return sb.toString();
    }

    /** At most 40 characters, control characters as '?', for an error message. */
    private static String printable(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return t.codePoints().map(c -> c < 0x20 || c == 0x7f ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
