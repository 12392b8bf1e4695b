package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import netkit.tcp.cc.CongestionControl;
import org.junit.jupiter.api.Test;

/** The congestion-control name is checked when settings are built: an unknown one is refused, not CUBIC. */
class CongestionControlSettingsTest {
    @Test
    void anUnknownNameIsRefusedNamingTheFieldAndTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TcpSettings.builder().congestionControl("vegas").build());
        assertTrue(e.getMessage().contains("congestionControl") && e.getMessage().contains("vegas"), e.getMessage());
        assertTrue(e.getMessage().contains("cubic") && e.getMessage().contains("reno"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> TcpSettings.defaults().toBuilder().congestionControl(null).build());
        assertThrows(IllegalArgumentException.class, () -> CongestionControl.create("vegas", 1460));
    }

    @Test
    void knownNamesInAnyCaseMakeTheirController() {
        assertEquals("reno", CongestionControl.create(TcpSettings.builder().congestionControl("Reno").build()
                .congestionControl(), 1460).name());
        assertEquals("cubic", CongestionControl.create("CUBIC", 1460).name());
        assertEquals("cubic", CongestionControl.create(TcpSettings.defaults().congestionControl(), 1460).name());
    }
}
