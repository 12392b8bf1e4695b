package netkit.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import netkit.stack.arp.ArpSettings;
import org.junit.jupiter.api.Test;

class StackSettingsTest {
    @Test
    void toBuilderKeepsEveryValueAndChangesOnlyWhatIsSet() {
        StackSettings s = StackSettings.builder().maxSockets(8)
                .arp(ArpSettings.builder().queuePerNeighbour(3).build()).build();
        StackSettings t = s.toBuilder().reassemblyTimeout(5_000).build();
        assertEquals(8, t.maxSockets());
        assertEquals(3, t.arp().queuePerNeighbour());
        assertEquals(ArpSettings.defaults().retries(), t.arp().retries());
        assertEquals(5_000, t.reassemblyTimeoutMillis());
        assertEquals(StackSettings.defaults().icmpErrorsPerSecond(), t.icmpErrorsPerSecond());
    }

    @Test
    void reassemblyThresholdsDefaultToLinuxFourAndThreeMebibytes() {
        StackSettings s = StackSettings.defaults();
        assertEquals(4 << 20, s.reassemblyMaxBytes());
        assertEquals(3 << 20, s.reassemblyLowBytes());
        assertEquals(750, s.toBuilder().reassemblyMaxBytes(1000).build().reassemblyLowBytes(),
                "an unset low threshold follows the high one");
        StackSettings t = s.toBuilder().reassemblyLowBytes(1 << 20).build();
        assertEquals(1 << 20, t.toBuilder().reassemblyMaxBytes(2 << 20).build().reassemblyLowBytes());
    }

    @Test
    void outOfRangeValuesAreRefusedWithTheirName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StackSettings.builder().maxSockets(0).build());
        assertTrue(e.getMessage().contains("maxSockets"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StackSettings.builder().icmpErrorsPerSecond(0).build());
        assertThrows(IllegalArgumentException.class, () -> StackSettings.builder().rxQueueFrames(0).build());
        e = assertThrows(IllegalArgumentException.class,
                () -> StackSettings.builder().reassemblyMaxBytes(1000).reassemblyLowBytes(1001).build());
        assertTrue(e.getMessage().contains("reassemblyLowBytes"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ArpSettings.builder().retries(0).build());
        assertTrue(e.getMessage().contains("retries"), e.getMessage());
    }
}
