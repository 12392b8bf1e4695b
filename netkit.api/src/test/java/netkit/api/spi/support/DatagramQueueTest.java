package netkit.api.spi.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.locks.ReentrantLock;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.spi.protocol.SocketOptions;
import netkit.api.time.SimulatedLoop;
import org.junit.jupiter.api.Test;

/** The receive queue's memory accounting against SO_RCVBUF. */
class DatagramQueueTest {
    private final ReentrantLock lock = new ReentrantLock();
    private final SocketOptions options = new SocketOptions();
    private final DatagramQueue queue = new DatagramQueue(new SimulatedLoop(), lock, options);
    private final SockAddr from = SockAddr.of(0x0a000002, 7);

    private int offer(int n, int len) {
        int accepted = 0;
        byte[] data = new byte[len];
        lock.lock();
        try {
            for (int i = 0; i < n; i++) {
                if (queue.offer(from, 64, data, 0, len)) {
                    accepted++;
                }
            }
        } finally {
            lock.unlock();
        }
        return accepted;
    }

    @Test
    void zeroLengthDatagramsAreChargedTheirOverhead() throws ErrnoException {
        options.receiveBuffer(4096);
        int accepted = offer(1_000_000, 0);
        assertEquals(4096 / DatagramQueue.DATAGRAM_OVERHEAD, accepted, "a million empty datagrams fill 4096 bytes");
        assertTrue(queue.charged() <= 4096, "charged " + queue.charged());
        assertEquals(0, queue.bytes(), "no payload");
        assertEquals(0, queue.receive(new byte[1], 0, 1, Net.MSG_DONTWAIT, null, () -> { }));
        assertEquals(1, offer(1, 0), "room again after a read");
        assertEquals(0, offer(1, 0));
    }

    @Test
    void payloadAndOverheadAreCharged() {
        options.receiveBuffer(4096);
        assertEquals(3, offer(10, 1000), "1000 + overhead each");
        assertEquals(3 * (1000 + DatagramQueue.DATAGRAM_OVERHEAD), queue.charged());
        assertEquals(3000, queue.bytes());
        options.receiveBuffer(1);
        queue.clear();
        assertEquals(1, offer(2, 5000), "an empty queue always takes one datagram");
        assertEquals(5000 + DatagramQueue.DATAGRAM_OVERHEAD, queue.charged());
    }
}
