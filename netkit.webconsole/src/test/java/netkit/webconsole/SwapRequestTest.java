package netkit.webconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The swap form is checked before anything changes: one clear line for each kind of bad input. */
class SwapRequestTest {
    private static final List<String> IFACES = List.of("lo0", "eth0");
    private static final List<String> DRIVERS = List.of("loopback", "pair", "wire");

    private static String refused(String iface, String driver, String params) {
        return assertThrows(IllegalArgumentException.class,
                () -> SwapRequest.parse(iface, driver, params, IFACES, DRIVERS)).getMessage();
    }

    @Test
    void aGoodFormBecomesTheConsoleCommand() {
        SwapRequest r = SwapRequest.parse(" eth0 ", "pair", " pair=web  loss=1% ", IFACES, DRIVERS);
        assertEquals("netkit:link swap eth0 pair pair=web loss=1%", r.command());
        assertEquals("netkit:link swap lo0 loopback", SwapRequest.parse("lo0", "loopback", "", IFACES, DRIVERS).command());
    }

    @Test
    void badInputIsOneLine() {
        assertEquals("no interface given", refused(null, "pair", ""));
        assertEquals("no interface 'eth9'", refused("eth9", "pair", ""));
        assertEquals("no driver given", refused("eth0", " ", ""));
        assertEquals("no link driver 'tap' (present: loopback pair wire)", refused("eth0", "tap", ""));
        assertEquals("no link driver 'pa?ir;' (present: loopback pair wire)", refused("eth0", "pa\nir;", ""));
        assertEquals("not a driver parameter: 'segment' (key=value: letters, digits and . _ - in the key; "
                + "no spaces or quotes in the value)", refused("eth0", "wire", "segment"));
        // Gogo syntax never reaches the command line
        refused("eth0", "wire", "segment=a;netkit:ifconfig");
        refused("eth0", "wire", "segment=$(x)");
        refused("eth0", "wire", "segment='a'");
        refused("eth0 | x", "wire", "");
    }
}
