package netkit.interop.diff;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The tester's end of a VXLAN tunnel (RFC 7348, VNI 42) to a stack under test: sends crafted Ethernet
 * frames to its VTEP and collects the IPv4 frames the stack sends back from {@link #TARGET}. It
 * answers ARP requests for its own address ({@link #PROBE}, MAC {@link #PROBE_MAC}) itself, so both
 * stacks resolve it the same way, and learns the target's MAC with an ARP request of its own.
 */
final class VtepProbe implements AutoCloseable {
    static final String PROBE = "192.168.77.1";
    static final String TARGET = "192.168.77.2";
    static final long PROBE_MAC = 0x02_00_00_00_00_01L;
    private static final int VNI = 42;

    private final DatagramSocket socket;
    private final InetSocketAddress vtep;
    private final LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
    /** ICMP time exceeded: a reassembly timeout's answer comes 30 s late, after other cases ran. */
    private final LinkedBlockingQueue<byte[]> late = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile long targetMac = -1;

    VtepProbe(InetSocketAddress local, InetSocketAddress vtep) throws SocketException {
        this.socket = new DatagramSocket(local);
        this.vtep = vtep;
        this.reader = new Thread(this::read, "vtep-probe");
        reader.setDaemon(true);
        reader.start();
    }

    long targetMac() {
        return targetMac;
    }

    /** Sends ARP requests for the target until it answers; false after {@code millis}. */
    boolean resolveTarget(long millis) throws IOException, InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (targetMac < 0 && System.nanoTime() < end) {
            send(Frames.ethernet(0xffff_ffff_ffffL, PROBE_MAC, 0x0806,
                    Frames.arp(1, PROBE_MAC, Frames.addr(PROBE), 0, Frames.addr(TARGET))));
            Thread.sleep(100);
        }
        return targetMac >= 0;
    }

    /** Sends one Ethernet frame through the tunnel. */
    void send(byte[] frame) throws IOException {
        byte[] d = new byte[8 + frame.length];
        d[0] = 0x08;
        Frames.put32(d, 4, VNI << 8);
        System.arraycopy(frame, 0, d, 8, frame.length);
        socket.send(new DatagramPacket(d, d.length, vtep));
    }

    /** Sends an IPv4 packet to the target's MAC. */
    void sendIp(byte[] packet) throws IOException {
        send(Frames.ethernet(targetMac, PROBE_MAC, 0x0800, packet));
    }

    /**
     * The IPv4 packets (without Ethernet header) that arrived since the last call, waiting until none
     * came for {@code quietMillis} (at most {@code maxMillis}).
     */
    List<byte[]> collect(long quietMillis, long maxMillis) throws InterruptedException {
        List<byte[]> got = new ArrayList<>();
        long end = System.nanoTime() + maxMillis * 1_000_000;
        while (true) {
            long left = Math.min(quietMillis, (end - System.nanoTime()) / 1_000_000);
            if (left <= 0) {
                break;
            }
            byte[] f = frames.poll(left, TimeUnit.MILLISECONDS);
            if (f == null) {
                break;
            }
            got.add(f);
        }
        frames.drainTo(got);
        return got;
    }

    /** The ICMP time exceeded messages that arrived, waiting until none came for {@code quietMillis}. */
    List<byte[]> collectLate(long quietMillis) throws InterruptedException {
        List<byte[]> got = new ArrayList<>();
        for (byte[] f; (f = late.poll(quietMillis, TimeUnit.MILLISECONDS)) != null;) {
            got.add(f);
        }
        return got;
    }

    private void read() {
        byte[] buf = new byte[9216];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!socket.isClosed()) {
            try {
                p.setLength(buf.length);
                socket.receive(p);
                if (p.getLength() < 8 + 14 || buf[0] != 0x08 || (int) Frames.get32(buf, 4) != VNI << 8) {
                    continue;
                }
                byte[] f = Arrays.copyOfRange(buf, 8, p.getLength());
                int type = Frames.get16(f, 12);
                if (type == 0x0806 && f.length >= 14 + 28) {
                    arp(f);
                } else if (type == 0x0800 && f.length >= 14 + 20 && (int) Frames.get32(f, 14 + 12) == Frames.addr(TARGET)
                        && f[14 + 9] != 2) {
                    byte[] ip = Arrays.copyOfRange(f, 14, f.length);
                    int hl = (ip[0] & 0x0f) * 4;
                    (ip[9] == 1 && ip.length > hl && ip[hl] == 11 ? late : frames).add(ip);
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private void arp(byte[] f) throws IOException {
        int op = Frames.get16(f, 14 + 6);
        long sha = Frames.get48(f, 14 + 8);
        int spa = (int) Frames.get32(f, 14 + 14);
        int tpa = (int) Frames.get32(f, 14 + 24);
        if (spa == Frames.addr(TARGET)) {
            targetMac = sha;
        }
        if (op == 1 && tpa == Frames.addr(PROBE)) {
            send(Frames.ethernet(sha, PROBE_MAC, 0x0806, Frames.arp(2, PROBE_MAC, tpa, sha, spa)));
        }
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        reader.join(2000);
    }
}
