package netkit.api.buffer;

import java.util.Arrays;

/**
 * A packet in a byte array with room in front for headers: each layer {@link #prepend}s its header
 * into the room instead of copying the payload, and on receive each layer {@link #consume}s its
 * header so the next one sees its own bytes at {@link #offset()}.
 *
 * <p>Ownership moves with the buffer: whoever is handed one either passes it on or calls
 * {@link #release()}. A buffer is not thread-safe.
 */
public final class PacketBuffer {
    /** Header room that fits Ethernet + IPv4 with options + TCP with options. */
    public static final int DEFAULT_HEADROOM = 128;

    private byte[] data;
    private int start;
    private int end;
    private final PacketPool pool;
    /** The pool's size class this buffer belongs to, -1 when unpooled. */
    private final int sizeClass;
    private boolean released;
    private boolean checksumOffloaded;

    PacketBuffer(PacketPool pool, int sizeClass, int capacity, int headroom) {
        this.pool = pool;
        this.sizeClass = sizeClass;
        this.data = new byte[capacity];
        reset(headroom);
    }

    /** An unpooled buffer with {@code headroom} bytes of room and space for {@code payload} bytes. */
    public static PacketBuffer allocate(int headroom, int payload) {
        return new PacketBuffer(null, -1, headroom + payload, headroom);
    }

    /** An unpooled buffer holding a copy of {@code bytes} after the default header room. */
    public static PacketBuffer wrapCopy(byte[] bytes, int off, int len) {
        PacketBuffer b = allocate(DEFAULT_HEADROOM, len);
        System.arraycopy(bytes, off, b.data, b.append(len), len);
        return b;
    }

    void reset(int headroom) {
        start = Math.min(headroom, data.length);
        end = start;
        released = false;
        checksumOffloaded = false;
    }

    /** The backing array; the packet is {@code array()[offset() .. offset()+length())}. */
    public byte[] array() {
        return data;
    }

    /** Where the packet starts in {@link #array()}. */
    public int offset() {
        return start;
    }

    /** The packet's length in bytes. */
    public int length() {
        return end - start;
    }

    /** Free bytes before {@link #offset()}. */
    public int headroom() {
        return start;
    }

    /** Free bytes after the end. */
    public int tailroom() {
        return data.length - end;
    }

    /**
     * Makes room for an {@code n}-byte header in front and returns its offset. Uses the header room;
     * only when the room is exhausted is the packet moved (once) to a larger array.
     */
    public int prepend(int n) {
        if (n > start) {
            int extra = Math.max(n - start, DEFAULT_HEADROOM);
            byte[] bigger = new byte[data.length + extra];
            System.arraycopy(data, start, bigger, start + extra, end - start);
            data = bigger;
            start += extra;
            end += extra;
        }
        start -= n;
        return start;
    }

    /** Extends the packet by {@code n} bytes at the end and returns the offset of the new bytes. */
    public int append(int n) {
        if (n > tailroom()) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, end + n));
        }
        int at = end;
        end += n;
        return at;
    }

    /** Appends a copy of {@code src[off..off+len)}. */
    public void append(byte[] src, int off, int len) {
        System.arraycopy(src, off, data, append(len), len);
    }

    /** Drops {@code n} bytes from the front (a parsed header). */
    public void consume(int n) {
        if (n < 0 || n > length()) {
            throw new IndexOutOfBoundsException("consume " + n + " of " + length());
        }
        start += n;
    }

    /** Cuts the packet to its first {@code len} bytes (e.g. Ethernet padding beyond IP total length). */
    public void truncate(int len) {
        if (len < 0 || len > length()) {
            throw new IndexOutOfBoundsException("truncate to " + len + " of " + length());
        }
        end = start + len;
    }

    /** Sets the packet to {@code [newStart, newEnd)} of the array (for re-parsing a known region). */
    public void window(int newStart, int newEnd) {
        if (newStart < 0 || newEnd > data.length || newStart > newEnd) {
            throw new IndexOutOfBoundsException(newStart + ".." + newEnd);
        }
        start = newStart;
        end = newEnd;
    }

    /** A deep copy with the same header room (for duplication and loopback of broadcasts). */
    public PacketBuffer copy() {
        PacketBuffer c = pool != null ? pool.acquire(length()) : allocate(DEFAULT_HEADROOM, length());
        c.append(data, start, length());
        c.checksumOffloaded = checksumOffloaded;
        return c;
    }

    /** The packet bytes as a new array. */
    public byte[] toByteArray() {
        return Arrays.copyOfRange(data, start, end);
    }

    /** Returns the buffer to its pool (a no-op for unpooled buffers); it must not be used afterwards. */
    public void release() {
        if (released) {
            return; // tolerated: a second release must never hand the same array out twice
        }
        released = true;
        if (pool != null) {
            pool.recycle(this, sizeClass);
        }
    }

    /**
     * Whether the sender left this packet's transport checksum out because its route's link offloads
     * checksums (Linux's {@code CHECKSUM_PARTIAL} on a veth). A receiving link that offloads checksums
     * too may then skip verifying it; a packet without the mark is verified wherever it arrives.
     *
     * @since 2.2
     */
    public boolean checksumOffloaded() {
        return checksumOffloaded;
    }

    /** Marks the packet as sent with (true) or without checksum offload; see {@link #checksumOffloaded()}. */
    public void checksumOffloaded(boolean offloaded) {
        this.checksumOffloaded = offloaded;
    }

    /** Bytes of the backing array: the memory this buffer holds, whatever its packet's length. */
    public int capacity() {
        return data.length;
    }

    @Override
    public String toString() {
        return "PacketBuffer[" + length() + " bytes, headroom " + start + "]";
    }
}
