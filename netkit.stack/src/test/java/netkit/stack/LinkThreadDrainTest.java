package netkit.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import netkit.api.SockAddr;
import netkit.api.buffer.PacketBuffer;
import netkit.api.buffer.PacketPool;
import netkit.api.spi.link.Link;
import netkit.api.spi.link.LinkConfig;
import netkit.api.spi.link.LinkDriver;
import netkit.api.spi.link.LinkReceiver;
import netkit.api.spi.support.EthernetLink;
import netkit.api.wire.Bytes;
import netkit.stack.iface.InterfaceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A small frame a link delivers from its own receive thread ({@code LinkReceiver.receiveOnLinkThread})
 * is processed on that thread before the call returns when the stack is idle, so its answer leaves
 * from there with no wake-up of the loop; a full-sized frame, or one arriving while the stack lock is
 * held, is processed by the loop.
 */
class LinkThreadDrainTest {
    private static final int ADDRESS = SockAddr.parseAddress("10.9.0.1");
    private static final int PEER = SockAddr.parseAddress("10.9.0.99");
    private static final long PEER_MAC = 0x020000000099L;

    /** A frame the stack sent, with the thread that sent it. */
    private record Sent(byte[] frame, Thread thread) {
    }

    /** A link whose receive side is the test's thread and whose transmit side records what is sent. */
    private static final class TestDriver implements LinkDriver {
        final LinkedBlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
        volatile LinkReceiver receiver;
        volatile PacketPool pool;

        @Override
        public String name() {
            return "test";
        }

        @Override
        public Set<String> parameterKeys() {
            return Set.of();
        }

        @Override
        public Link open(LinkConfig config, LinkReceiver r) {
            receiver = r;
            pool = config.pool();
            return new EthernetLink("test", config.mac(), 1500) {
                @Override
                public boolean transmit(PacketBuffer frame) {
                    byte[] copy = new byte[frame.length()];
                    System.arraycopy(frame.array(), frame.offset(), copy, 0, copy.length);
                    frame.release();
                    sent.add(new Sent(copy, Thread.currentThread()));
                    return true;
                }

                @Override
                public void close() {
                }
            };
        }
    }

    private final TestDriver driver = new TestDriver();
    private Stack stack;

    @AfterEach
    void close() {
        if (stack != null) {
            stack.close();
        }
    }

    private void start() throws Exception {
        stack = new Stack("lt", null, StackSettings.defaults(), 7);
        stack.addDriver(driver);
        stack.configure(new InterfaceConfig("eth0", "test", ADDRESS, 24, 1500, 0, 0x020000000001L, true, Map.of()));
        Thread.sleep(100); // announcements sent at configuration leave first
        driver.sent.clear();
    }

    /** An ARP request for the stack's address from the peer, padded to {@code length} bytes. */
    private PacketBuffer arpRequest(int length) {
        PacketBuffer b = driver.pool.acquire(length);
        int at = b.append(length);
        byte[] a = b.array();
        java.util.Arrays.fill(a, at, at + length, (byte) 0);
        Bytes.put48(a, at, 0xffffffffffffL);
        Bytes.put48(a, at + 6, PEER_MAC);
        Bytes.put16(a, at + 12, 0x0806);
        Bytes.put16(a, at + 14, 1); // Ethernet
        Bytes.put16(a, at + 16, 0x0800); // IPv4
        a[at + 18] = 6;
        a[at + 19] = 4;
        Bytes.put16(a, at + 20, 1); // request
        Bytes.put48(a, at + 22, PEER_MAC);
        Bytes.put32(a, at + 28, PEER);
        Bytes.put32(a, at + 38, ADDRESS);
        return b;
    }

    private static void assertArpReply(Sent s) {
        assertNotNull(s, "the stack answered");
        assertEquals(0x0806, Bytes.get16(s.frame(), 12));
        assertEquals(2, Bytes.get16(s.frame(), 20), "an ARP reply");
        assertEquals(PEER_MAC, Bytes.get48(s.frame(), 0));
    }

    /** The reply came from the loop, in one loop batch and none on the link's thread since {@code before}. */
    private void assertAnsweredByTheLoop(long[] before) throws InterruptedException {
        Sent reply = driver.sent.poll(5, TimeUnit.SECONDS);
        assertArpReply(reply);
        assertNotSame(Thread.currentThread(), reply.thread(), "answered from the loop");
        long[] after = stack.receiveBatches("eth0");
        assertEquals(before[2], after[2], "no batch on the link's thread");
        assertEquals(before[0] + 1, after[0], "one on the loop");
    }

    @Test
    void aSmallFrameIsProcessedOnTheLinksThreadBeforeTheCallReturns() throws Exception {
        start();
        long[] before = stack.receiveBatches("eth0");
        driver.receiver.receiveOnLinkThread(arpRequest(60));
        Sent reply = driver.sent.poll(); // no wait: it must be there already
        assertArpReply(reply);
        assertSame(Thread.currentThread(), reply.thread(), "answered from the thread that delivered the request");
        long[] after = stack.receiveBatches("eth0");
        assertEquals(before[2] + 1, after[2], "one batch on the link's thread");
        assertEquals(before[0], after[0], "none on the loop");
    }

    @Test
    void aFullSizedFrameGoesToTheLoop() throws Exception {
        start();
        long[] before = stack.receiveBatches("eth0");
        driver.receiver.receiveOnLinkThread(arpRequest(RxQueue.MAX_DEFERRED_FRAME + 1));
        assertAnsweredByTheLoop(before);
    }

    @Test
    void aSmallFrameWhileTheStackLockIsHeldGoesToTheLoop() throws Exception {
        start();
        long[] before = stack.receiveBatches("eth0");
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            stack.lock().lock();
            try {
                held.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                stack.lock().unlock();
            }
        });
        holder.start();
        held.await();
        driver.receiver.receiveOnLinkThread(arpRequest(60)); // returns at once: it never waits for the lock
        assertNull(driver.sent.poll(), "not processed while the lock is held");
        release.countDown();
        holder.join();
        assertAnsweredByTheLoop(before);
    }
}
