package netkit.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import netkit.api.wire.Bytes;
import org.junit.jupiter.api.AfterAll;

/**
 * ICMP (RFC 792) into s1: echo requests and replies, every type and code, and errors (unreachable,
 * fragmentation needed with any next-hop MTU, time exceeded, parameter problem, source quench,
 * redirect) quoting datagrams s1 sent: to its connected UDP socket's peer, on a live TCP connection
 * (sequence numbers in or out of its window, RFC 5927), or anything at all.
 */
class IcmpFuzzTest {
    private static FuzzNet net;
    private static int nextPort = 30000;

    @FuzzTest
    void messages(FuzzedDataProvider data) {
        if (net == null) {
            net = new FuzzNet();
        }
        FuzzNet.Counts[] before = net.before();
        nextPort = nextPort >= 60000 ? 30000 : nextPort + 1;
        int port = nextPort;
        int conn = data.consumeBoolean() ? net.connect(port, data.consumeInt(), new byte[] {2, 4, 5, (byte) 180})
                : -1;
        if (conn >= 0) {
            try {
                net.api.send(conn, new byte[3000], 0, 3000, netkit.api.Net.MSG_DONTWAIT);
            } catch (netkit.api.ErrnoException e) {
                throw new AssertionError(e);
            }
            net.run(Duration.ofMillis(1));
        }
        int count = data.consumeInt(1, 6);
        for (int i = 0; i < count && data.remainingBytes() > 0; i++) {
            int type = data.pickValue(new int[] {8, 3, 3, 3, 4, 5, 0, 8, 11, 12, 13, 15, 17});
            if (data.consumeInt(0, 7) == 7) {
                type = data.consumeInt(0, 255);
            }
            int code = type == 3 ? data.pickValue(new int[] {0, 1, 2, 3, 4, 4, 13}) : 0;
            if (data.consumeInt(0, 7) == 7) {
                code = data.consumeInt(0, 255);
            }
            int rest = type == 3 && code == 4 ? data.consumeInt(0, 0xffff) : data.consumeInt();
            byte[] body = (type == 3 || type == 4 || type == 5 || type == 11 || type == 12)
                    && data.consumeInt(0, 5) != 5 ? quote(data, port) : data.consumeBytes(data.consumeInt(0, 1400));
            byte[] m = Frames.icmp(type, code, rest, body);
            if (data.consumeInt(0, 15) == 15) {
                Frames.flipBit(m, data);
            }
            int src = data.consumeInt(0, 3) == 3 ? Addresses.source(data) : FuzzNet.INJECTOR;
            int dst = data.consumeInt(0, 3) == 3 ? Addresses.destination(data) : FuzzNet.HOST;
            net.injectIp(net.ip(1, src, dst, m));
        }
        if (conn >= 0) {
            FuzzNet.closeQuietly(net.api, conn);
            net.run(Duration.ofMillis(10));
            net.reset(port);
        }
        net.check(before, Duration.ofSeconds(1));
    }

    /** An IP header s1 might have sent, and 8 or more bytes of its transport header. */
    private static byte[] quote(FuzzedDataProvider data, int tcpPort) {
        int kind = data.consumeInt(0, 3);
        int protocol = kind == 0 ? 17 : kind == 1 ? 6 : kind == 2 ? 1 : data.consumeInt(0, 255);
        byte[] transport = new byte[data.consumeBoolean() ? data.consumeInt(0, 64) : 8];
        int dst = FuzzNet.INJECTOR;
        if (transport.length >= 8) {
            if (kind == 0) {
                Bytes.put16(transport, 0, FuzzNet.UDP_CONNECTED_PORT);
                Bytes.put16(transport, 2, FuzzNet.UDP_REMOTE_PORT);
            } else if (kind == 1) {
                Bytes.put16(transport, 0, FuzzNet.TCP_PORT);
                Bytes.put16(transport, 2, tcpPort);
                byte[] last = net.lastSegmentTo(tcpPort);
                int seq = last == null ? data.consumeInt() : Bytes.get32(last, 4) - data.consumeInt(0, 4000);
                Bytes.put32(transport, 4, seq);
            } else {
                byte[] raw = data.consumeBytes(transport.length);
                System.arraycopy(raw, 0, transport, 0, raw.length);
            }
        }
        if (data.consumeInt(0, 7) == 7) {
            dst = data.consumeInt();
        }
        byte[] ip = Frames.ipv4(0, data.consumeInt(0, 0xffff), data.consumeBoolean() ? 0x4000 : 0, 64, protocol,
                FuzzNet.HOST, dst, new byte[0], transport);
        if (data.consumeInt(0, 7) == 7) {
            Frames.flipBit(ip, data);
        }
        return ip;
    }

    @AfterAll
    static void stillHealthy() {
        if (net != null) {
            net.verifyHealthy();
        }
    }
}
