package netkit.link.tap;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import netkit.api.buffer.PacketBuffer;
import netkit.api.buffer.PacketPool;
import netkit.api.spi.support.EthernetLink;
import netkit.api.spi.link.LinkReceiver;

/**
 * An Ethernet link over a Linux TAP device ({@code /dev/net/tun}, IFF_TAP|IFF_NO_PI): one frame
 * per read and per write, a reader thread waiting in poll so close is prompt. Writes go through one
 * native buffer of the link (no allocation per frame); frames the host dropped before the reader got
 * them are the device's {@code tx_dropped} ({@link TapHostDrops}).
 */
final class TapLink extends EthernetLink {
    private static final System.Logger LOG = netkit.api.spi.support.NetkitLog.logger(TapLink.class);

    private final int fd;
    private final String device;
    private final LinkReceiver receiver;
    private final PacketPool pool;
    private final Arena arena = Arena.ofShared();
    private final Thread reader;
    private final TapHostDrops hostDrops;
    private final Object writeLock = new Object();
    private final MemorySegment writeBuffer; // guarded by writeLock
    private final MemorySegment writeState; // guarded by writeLock
    private volatile boolean closed;

    TapLink(String device, long mac, int mtu, LinkReceiver receiver, PacketPool pool) throws IOException {
        super(TapDriver.NAME, mac, mtu);
        this.device = device;
        this.receiver = receiver;
        this.pool = pool;
        try {
            MemorySegment state = Libc.state(arena);
            int f = (int) Libc.OPEN.invokeExact(state, arena.allocateFrom("/dev/net/tun"),
                    Libc.O_RDWR | Libc.O_CLOEXEC);
            if (f < 0) {
                throw new IOException("open /dev/net/tun: errno " + Libc.errno(state));
            }
            MemorySegment ifreq = arena.allocate(40); // char ifr_name[16]; short ifr_flags; padding
            byte[] name = device.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            if (name.length > 15) {
                throw new IOException("device name longer than 15 bytes: " + device);
            }
            MemorySegment.copy(name, 0, ifreq, ValueLayout.JAVA_BYTE, 0, name.length);
            ifreq.set(ValueLayout.JAVA_SHORT, 16, (short) (Libc.IFF_TAP | Libc.IFF_NO_PI));
            int r = (int) Libc.IOCTL.invokeExact(state, f, Libc.TUNSETIFF, ifreq);
            if (r < 0) {
                int e = Libc.errno(state);
                int ignored = (int) Libc.CLOSE.invokeExact(f);
                throw new IOException("TUNSETIFF " + device + ": errno " + e + (e == 1 ? " (needs root)" : ""));
            }
            this.fd = f;
            this.writeBuffer = arena.allocate(mtu + 14 + 4);
            this.writeState = Libc.state(arena);
        } catch (IOException e) {
            arena.close();
            throw e;
        } catch (Throwable t) {
            arena.close();
            throw new IOException("FFM call failed: " + t, t);
        }
        hostDrops = new TapHostDrops(java.nio.file.Path.of("/sys/class/net"), device);
        reader = new Thread(this::read, "netkit-tap-" + device);
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public boolean transmit(PacketBuffer frame) {
        try {
            int n = frame.length();
            if (closed || n > mtu() + 14) {
                return false;
            }
            synchronized (writeLock) {
                if (closed) {
                    return false;
                }
                MemorySegment.copy(frame.array(), frame.offset(), writeBuffer, ValueLayout.JAVA_BYTE, 0, n);
                long written = (long) Libc.WRITE.invokeExact(writeState, fd, writeBuffer, (long) n);
                return written == n;
            }
        } catch (Throwable t) {
            return false;
        } finally {
            frame.release();
        }
    }

    /** The device's {@code tx_dropped} since this link opened; unknown once the device left this namespace. */
    @Override
    public long hostDrops() {
        return hostDrops.sinceOpen();
    }

    private void read() {
        int max = mtu() + 14 + 4;
        try (Arena local = Arena.ofConfined()) {
            MemorySegment buf = local.allocate(max);
            MemorySegment pollfd = local.allocate(8); // struct pollfd { int fd; short events; short revents; }
            MemorySegment state = Libc.state(local);
            while (!closed) {
                pollfd.set(ValueLayout.JAVA_INT, 0, fd);
                pollfd.set(ValueLayout.JAVA_SHORT, 4, Libc.POLLIN);
                pollfd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
                int ready = (int) Libc.POLL.invokeExact(state, pollfd, 1L, 200);
                if (ready <= 0 || closed) {
                    continue;
                }
                long n = (long) Libc.READ.invokeExact(state, fd, buf, (long) max);
                if (n < 14) {
                    continue;
                }
                PacketBuffer frame = pool.acquire((int) n);
                int at = frame.append((int) n);
                MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, frame.array(), at, (int) n);
                receiver.receiveOnLinkThread(frame); // an ACK may be processed here, without a hand-off
            }
        } catch (Throwable t) {
            if (!closed) {
                LOG.log(System.Logger.Level.WARNING, "tap " + device + " reader stopped", t);
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            reader.join(1000);
            synchronized (writeLock) { // no write is using the buffer or the descriptor any more
                int ignored = (int) Libc.CLOSE.invokeExact(fd);
            }
        } catch (Throwable ignored) {
            // closing anyway
        }
        arena.close();
    }
}
