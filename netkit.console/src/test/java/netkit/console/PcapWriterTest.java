package netkit.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import netkit.console.capture.PcapWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapWriterTest {
    @Test
    void writesAPcapThatReadsBack(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("x.pcap");
        try (PcapWriter w = new PcapWriter(f, PcapWriter.ETHERNET, 100, 2)) {
            w.frame(new byte[60], 0, 60, true);
            w.frame(new byte[300], 0, 300, false); // cut to the snaplen
            w.frame(new byte[60], 0, 60, false); // beyond -c 2
            assertEquals(2, w.frames());
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xa1b23c4d, b.getInt(0), "nanosecond pcap magic");
        assertEquals(2, b.getShort(4));
        assertEquals(100, b.getInt(16));
        assertEquals(1, b.getInt(20), "LINKTYPE_ETHERNET");
        assertEquals(60, b.getInt(24 + 8));
        assertEquals(60, b.getInt(24 + 12));
        int second = 24 + 16 + 60;
        assertEquals(100, b.getInt(second + 8), "captured length");
        assertEquals(300, b.getInt(second + 12), "original length");
        assertEquals(24 + 16 + 60 + 16 + 100, b.capacity());
    }
}
