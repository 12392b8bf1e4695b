package netkit.api.spi.impair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImpairmentParametersTest {
    @Test
    void parsesPercentagesMicrosecondsAndSeed() {
        ImpairmentParameters p = ImpairmentParameters.parse(Map.of("loss", "5%", "delay", "200", "seed", "3"), 9);
        assertEquals(0.05, p.transmit().loss(), 1e-9);
        assertEquals(200, p.transmit().delayMicros());
        assertEquals(3, p.transmit().seed());
        assertEquals(Impairment.NONE, p.receive(), "out is the default direction");
        assertEquals(9, ImpairmentParameters.parse(Map.of("loss", "0.1"), 9).transmit().seed(), "the default seed");
        assertNull(ImpairmentParameters.parse(Map.of("segment", "lan"), 9));
        assertThrows(IllegalArgumentException.class, () -> ImpairmentParameters.parse(Map.of("loss", "1.5"), 9));
        assertThrows(IllegalArgumentException.class, () -> ImpairmentParameters.parse(Map.of("delay", "soon"), 9));
    }

    @Test
    void directionPicksWhichWayFramesAreImpaired() {
        ImpairmentParameters in = ImpairmentParameters.parse(Map.of("loss", "1%", "seed", "5", "direction", "in"), 0);
        assertEquals(Impairment.NONE, in.transmit());
        assertEquals(0.01, in.receive().loss(), 1e-9);
        ImpairmentParameters both = ImpairmentParameters.parse(Map.of("loss", "1%", "seed", "5", "direction", "both"),
                0);
        assertEquals(5, both.transmit().seed());
        assertEquals(~5L, both.receive().seed(), "the two directions draw different streams");
        assertThrows(IllegalArgumentException.class,
                () -> ImpairmentParameters.parse(Map.of("loss", "1%", "direction", "sideways"), 0));
    }

    @Test
    void unknownKeysAreRefusedNamingTheValidOnes() {
        ImpairmentParameters.checkKeys("wire", Set.of("segment"), Map.of("segment", "lan", "loss", "1%"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImpairmentParameters.checkKeys("wire", Set.of("segment"), Map.of("los", "1%")));
        assertEquals("unknown parameter 'los' for driver wire; valid keys: corrupt, delay, direction, duplicate, "
                + "jitter, loss, rate, reorder, seed, segment", e.getMessage());
        assertEquals(Map.of("segment", "lan"),
                ImpairmentParameters.driverParameters(Map.of("segment", "lan", "loss", "1%", "seed", "2")));
    }
}
