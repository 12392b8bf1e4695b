package netkit.console.capture;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import netkit.api.admin.FrameTap;

/**
 * Writes frames to a classic pcap file with nanosecond timestamps (magic 0xa1b23c4d), which
 * Wireshark and tshark open: link type 1 (Ethernet) or 101 (raw IP, for loopback). Stops by itself
 * after {@code maxFrames} (0: no limit); thread-safe.
 */
public final class PcapWriter implements FrameTap, AutoCloseable {
    /** LINKTYPE_ETHERNET. */
    public static final int ETHERNET = 1;
    /** LINKTYPE_RAW: bare IPv4/IPv6 packets. */
    public static final int RAW = 101;

    private final OutputStream out;
    private final int snaplen;
    private final long maxFrames;
    private final long epochOffsetNanos = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
    private final ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    private long frames;
    private boolean closed;

    /** Opens {@code file} and writes the global header. */
    public PcapWriter(Path file, int linkType, int snaplen, long maxFrames) throws IOException {
        this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        this.snaplen = snaplen;
        this.maxFrames = maxFrames;
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b23c4d).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(snaplen)
                .putInt(linkType);
        out.write(h.array());
    }

    @Override
    public synchronized void frame(byte[] data, int offset, int length, boolean outbound) {
        if (closed || maxFrames > 0 && frames >= maxFrames) {
            return;
        }
        long now = System.nanoTime() + epochOffsetNanos;
        int caplen = Math.min(length, snaplen);
        record.clear();
        record.putInt((int) (now / 1_000_000_000L)).putInt((int) (now % 1_000_000_000L)).putInt(caplen)
                .putInt(length);
        try {
            out.write(record.array());
            out.write(data, offset, caplen);
            frames++;
        } catch (IOException e) {
            closed = true; // a full disk ends the capture, not the stack
        }
    }

    /** Frames written. */
    public synchronized long frames() {
        return frames;
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        out.close();
    }
}
