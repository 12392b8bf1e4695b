package netkit.api.spi.support;

import static netkit.api.testing.ErrnoAssertions.errno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import netkit.api.Errno;
import org.junit.jupiter.api.Test;

class PortTableTest {
    private static final int A = 0x0a000001;
    private static final int B = 0x0a000002;
    private final PortTable<String> table = new PortTable<>(a -> a == A || a == B, new SecureRandom());

    @Test
    void exactAndWildcardClash() throws Exception {
        table.bind(A, 80, false, "x", null);
        assertEquals(Errno.EADDRINUSE, errno(() -> table.bind(A, 80, false, "y", null)));
        assertEquals(Errno.EADDRINUSE, errno(() -> table.bind(0, 80, false, "y", null)));
        table.bind(B, 80, false, "z", null);
        assertEquals("x", table.lookup(A, 80));
        assertEquals("z", table.lookup(B, 80));
    }

    @Test
    void reuseAddrLetsSpecificSitBesideWildcard() throws Exception {
        table.bind(0, 53, true, "any", null);
        table.bind(A, 53, true, "a", null);
        assertEquals("a", table.lookup(A, 53), "exact address wins");
        assertEquals("any", table.lookup(B, 53));
        assertEquals(Errno.EADDRINUSE, errno(() -> table.bind(A, 53, true, "a2", null)),
                "the same exact pair stays unique without TIME_WAIT");
    }

    @Test
    void reuseAddrBindsOverLingeringOwners() throws Exception {
        table.bind(A, 22, false, "time-wait", null);
        assertEquals(Errno.EADDRINUSE, errno(() -> table.bind(A, 22, false, "new", o -> o.equals("time-wait"))));
        table.bind(A, 22, true, "new", o -> o.equals("time-wait"));
    }

    @Test
    void ephemeralPortsAreFreeAndInRange() throws Exception {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            int p = table.bind(0, 0, false, "e" + i, null).port();
            assertTrue(p >= PortTable.EPHEMERAL_LOW && p <= PortTable.EPHEMERAL_HIGH);
            assertTrue(seen.add(p), "port handed out twice: " + p);
        }
        assertEquals(1000, table.size());
    }

    @Test
    void nonLocalAddressIsRefusedAndReleaseFrees() throws Exception {
        assertEquals(Errno.EADDRNOTAVAIL, errno(() -> table.bind(0x0b000001, 1, false, "x", null)));
        PortTable.Binding<String> b = table.bind(A, 7, false, "x", null);
        table.release(b);
        table.release(b);
        assertNull(table.lookup(A, 7));
        assertEquals(0, table.size());
        table.bind(A, 7, false, "y", null);
    }
}
