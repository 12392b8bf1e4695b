package netkit.dhcp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import netkit.api.ErrnoException;
import netkit.api.spi.autoconf.InterfacePort;
import netkit.stack.Stack;

/**
 * A DHCP server for tests on a second stack: it records every client message (with the time, source
 * and destination it came with) and answers as its {@link #script} says. The default script offers
 * {@link #offer} and acknowledges every REQUEST for it.
 */
final class ScriptedServer {
    /** A client message as the server saw it. */
    record Seen(long nanos, int source, int destination, DhcpMessage message) {
        int type() {
            return message.type();
        }
    }

    /** A reply: bytes and where to send them. */
    record Reply(byte[] bytes, int destination) {
    }

    final Stack stack;
    final int address;
    final List<Seen> seen = new ArrayList<>();
    InterfacePort port;
    int offer = 0x0a000032; // 10.0.0.50
    long leaseSeconds = 3600;
    int mtu = 1400;
    boolean silent;
    Function<Seen, List<Reply>> script = this::standard;

    ScriptedServer(Stack stack, int address) throws ErrnoException {
        this.stack = stack;
        this.address = address;
        stack.context().lock().lock();
        try {
            port = stack.autoconf().bind("eth0", 67, (src, sport, dst, a, off, len) -> {
                DhcpMessage m = DhcpMessage.parse(a, off, len, DhcpMessage.OP_REQUEST);
                if (m == null) {
                    return;
                }
                Seen s = new Seen(stack.context().loop().nanoTime(), src, dst, m);
                seen.add(s);
                if (!silent) {
                    for (Reply r : script.apply(s)) {
                        try {
                            this.port.send(address, r.destination(), 68, r.bytes(), 0, r.bytes().length);
                        } catch (ErrnoException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            });
        } finally {
            stack.context().lock().unlock();
        }
    }

    List<Seen> of(int type) {
        return seen.stream().filter(s -> s.type() == type).toList();
    }

    /** OFFER for DISCOVER, ACK for REQUEST (of {@link #offer} or a renewal's ciaddr). */
    List<Reply> standard(Seen s) {
        DhcpMessage m = s.message();
        return switch (m.type()) {
            case DhcpMessage.DISCOVER -> List.of(broadcast(reply(m, DhcpMessage.OFFER, offer).standardOptions().build()));
            case DhcpMessage.REQUEST -> List.of(new Reply(reply(m, DhcpMessage.ACK,
                    m.ciaddr != 0 ? m.ciaddr : m.int32(DhcpMessage.OPT_REQUESTED_IP, 0)).standardOptions().build(),
                    m.ciaddr != 0 ? m.ciaddr : -1)); // RFC 2131 §4.1: unicast to ciaddr when it is set
            default -> List.of();
        };
    }

    static Reply broadcast(byte[] b) {
        return new Reply(b, -1);
    }

    ReplyBuilder reply(DhcpMessage to, int type, int yiaddr) {
        return new ReplyBuilder(this, to.xid, to.chaddr, type, yiaddr);
    }

    /** Builds a BOOTREPLY with raw options. */
    static final class ReplyBuilder {
        private final ScriptedServer server;
        final byte[] fixed = new byte[DhcpMessage.FIXED + 4];
        final ByteArrayOutputStream options = new ByteArrayOutputStream();

        ReplyBuilder(ScriptedServer server, int xid, long chaddr, int type, int yiaddr) {
            this.server = server;
            fixed[0] = 2;
            fixed[1] = 1;
            fixed[2] = 6;
            put32(fixed, 4, xid);
            put32(fixed, 16, yiaddr);
            put32(fixed, 20, server.address);
            for (int i = 0; i < 6; i++) {
                fixed[28 + i] = (byte) (chaddr >>> (40 - 8 * i));
            }
            put32(fixed, DhcpMessage.FIXED, DhcpMessage.MAGIC);
            raw(DhcpMessage.OPT_MESSAGE_TYPE, type);
        }

        ReplyBuilder standardOptions() {
            address(DhcpMessage.OPT_SERVER_ID, server.address);
            int32(DhcpMessage.OPT_LEASE_TIME, (int) server.leaseSeconds);
            address(DhcpMessage.OPT_SUBNET_MASK, 0xffffff00);
            address(DhcpMessage.OPT_ROUTER, server.address);
            address(DhcpMessage.OPT_DNS, server.address);
            raw(DhcpMessage.OPT_DOMAIN_NAME, "lan.test".getBytes());
            if (server.mtu != 0) {
                raw(DhcpMessage.OPT_MTU, server.mtu >> 8, server.mtu & 0xff);
            }
            return this;
        }

        ReplyBuilder raw(int code, int... bytes) {
            options.write(code);
            options.write(bytes.length);
            for (int b : bytes) {
                options.write(b);
            }
            return this;
        }

        ReplyBuilder raw(int code, byte[] bytes) {
            options.write(code);
            options.write(bytes.length);
            options.writeBytes(bytes);
            return this;
        }

        ReplyBuilder address(int code, int a) {
            return raw(code, a >>> 24 & 0xff, a >>> 16 & 0xff, a >>> 8 & 0xff, a & 0xff);
        }

        ReplyBuilder int32(int code, int v) {
            return address(code, v);
        }

        /** Writes raw bytes into the fixed header (sname at 44, file at 108). */
        ReplyBuilder fixed(int at, int... bytes) {
            for (int i = 0; i < bytes.length; i++) {
                fixed[at + i] = (byte) bytes[i];
            }
            return this;
        }

        byte[] build() {
            options.write(255);
            byte[] o = options.toByteArray();
            byte[] out = new byte[Math.max(300, fixed.length + o.length)];
            System.arraycopy(fixed, 0, out, 0, fixed.length);
            System.arraycopy(o, 0, out, fixed.length, o.length);
            return out;
        }

        /** Without the End option or padding: the options end where the bytes end. */
        byte[] buildUnterminated() {
            byte[] o = options.toByteArray();
            byte[] out = new byte[fixed.length + o.length];
            System.arraycopy(fixed, 0, out, 0, fixed.length);
            System.arraycopy(o, 0, out, fixed.length, o.length);
            return out;
        }

        private static void put32(byte[] b, int i, int v) {
            b[i] = (byte) (v >>> 24);
            b[i + 1] = (byte) (v >>> 16);
            b[i + 2] = (byte) (v >>> 8);
            b[i + 3] = (byte) v;
        }
    }
}
