package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TcpSettingsTest {
    @Test
    void toBuilderKeepsEveryValueAndChangesOnlyWhatIsSet() {
        TcpSettings s = TcpSettings.builder().msl(10_000).congestionControl("reno").synQueue(8).memoryLimit(50_000)
                .build();
        TcpSettings t = s.toBuilder().rtoMin(1000).build();
        assertEquals(10_000, t.mslMillis());
        assertEquals("reno", t.congestionControl());
        assertEquals(8, t.synQueue());
        assertEquals(50_000, t.memoryLimit());
        assertEquals(1000, t.rtoMinMillis());
        assertEquals(TcpSettings.defaults().rtoMaxMillis(), t.rtoMaxMillis());
        assertEquals(s.toString().replace("rtoMin=200", "rtoMin=1000"), t.toString());
    }

    @Test
    void outOfRangeValuesAreRefusedWithTheirName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TcpSettings.builder().delayedAck(501).build());
        assertTrue(e.getMessage().contains("delayedAckMillis"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TcpSettings.builder().rtoMin(500).rtoMax(400).build());
        assertTrue(e.getMessage().contains("rtoMaxMillis"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TcpSettings.builder().msl(0).build());
        assertThrows(IllegalArgumentException.class, () -> TcpSettings.builder().synRetries(-1).build());
        assertThrows(IllegalArgumentException.class, () -> TcpSettings.builder().congestionControl(" ").build());
    }
}
