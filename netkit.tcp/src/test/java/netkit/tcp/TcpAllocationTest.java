package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import org.junit.jupiter.api.Test;

/**
 * Bytes allocated per MB of bulk transfer between two stacks on the simulated wire (#13), read from
 * {@code ThreadMXBean.getThreadAllocatedBytes} of the test thread, which runs both stacks' loops and
 * every socket call. Printed, not asserted (escape analysis moves the figure); the bytes are checked.
 */
class TcpAllocationTest {

    @Test
    void bulkTransferAllocationPerMegabyte() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] p = h.pair(80);
        byte[] data = new byte[1 << 20];
        new java.util.Random(13).nextBytes(data);
        Driver warm = new Driver(h, p, data);
        warm.move(8); // warm up: JIT, pools, receive-buffer growth
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        // What one call that finds nothing to do costs (an EWOULDBLOCK exception): the driver's own share.
        byte[] one = new byte[1];
        int probes = 2000;
        long start = mx.getThreadAllocatedBytes(thread);
        for (int i = 0; i < probes; i++) {
            try {
                h.a.recv(p[0], one, 0, 1, Net.MSG_DONTWAIT);
            } catch (ErrnoException e) {
                assertEquals(Errno.EWOULDBLOCK, e.errno());
            }
        }
        long perRefusal = (mx.getThreadAllocatedBytes(thread) - start) / probes;
        int megabytes = 32;
        Driver d = new Driver(h, p, data);
        long before = mx.getThreadAllocatedBytes(thread);
        d.move(megabytes);
        long allocated = mx.getThreadAllocatedBytes(thread) - before - d.refusals * perRefusal;
        System.out.printf("bulk transfer, 1500-byte MTU wire: %d bytes allocated per MB (%d MB; the driver's %d "
                + "EWOULDBLOCKs at %d bytes each taken off)%n", allocated / megabytes, megabytes, d.refusals, perRefusal);
    }

    /** Sends {@code data} again and again from A to B, checking every byte received, with fixed buffers. */
    private static final class Driver {
        final TcpHarness h;
        final int[] p;
        final byte[] data;
        final byte[] buf = new byte[64 * 1024];
        long refusals;

        Driver(TcpHarness h, int[] p, byte[] data) {
            this.h = h;
            this.p = p;
            this.data = data;
        }

        void move(int times) throws ErrnoException {
            long total = (long) data.length * times;
            long sent = 0;
            long got = 0;
            long steps = 0;
            while (got < total) {
                if (++steps > 1_000_000) {
                    throw new AssertionError("stuck at " + got + " of " + total);
                }
                try {
                    while (sent < total) {
                        int off = (int) (sent % data.length);
                        sent += h.a.send(p[0], data, off, data.length - off, Net.MSG_DONTWAIT);
                    }
                } catch (ErrnoException e) {
                    assertEquals(Errno.EWOULDBLOCK, e.errno());
                    refusals++;
                }
                h.net.loop.advance(Duration.ofMillis(1));
                try {
                    while (got < total) {
                        int n = h.b.recv(p[1], buf, 0, buf.length, Net.MSG_DONTWAIT);
                        for (int i = 0; i < n; i++) {
                            if (buf[i] != data[(int) ((got + i) % data.length)]) {
                                throw new AssertionError("byte " + (got + i) + " differs");
                            }
                        }
                        got += n;
                    }
                } catch (ErrnoException e) {
                    assertEquals(Errno.EWOULDBLOCK, e.errno());
                    refusals++;
                }
            }
        }
    }
}
