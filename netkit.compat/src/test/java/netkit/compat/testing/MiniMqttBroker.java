package netkit.compat.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ServerSocketFactory;

/**
 * A minimal MQTT 3.1.1 broker (OASIS standard, §2-3) written only against {@link ServerSocketFactory}:
 * CONNECT/CONNACK, SUBSCRIBE/SUBACK (filters with {@code +} and {@code #}), UNSUBSCRIBE, PUBLISH
 * at QoS 0 and 1 (PUBACK; delivered to subscribers at QoS 0), PINGREQ/PINGRESP, DISCONNECT. It
 * enforces the client's keep-alive (§3.1.2.10: silence for 1.5 times it closes the connection)
 * with {@code setSoTimeout}. A thread per connection; counts the PINGREQs it answered.
 */
public final class MiniMqttBroker implements AutoCloseable {
    private final ServerSocket server;
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    public final AtomicInteger pings = new AtomicInteger();
    public final AtomicInteger keepAliveExpiries = new AtomicInteger();

    public MiniMqttBroker(ServerSocketFactory factory, int port) throws IOException {
        server = factory.createServerSocket(port);
        Thread t = new Thread(this::acceptLoop, "mqtt-accept");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Session s = new Session(server.accept());
                sessions.add(s);
                Thread t = new Thread(s::run, "mqtt-" + s.socket.getPort());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void publish(String topic, byte[] payload) {
        for (Session s : sessions) {
            if (s.subscriptions.keySet().stream().anyMatch(f -> matches(f, topic))) {
                s.deliver(topic, payload);
            }
        }
    }

    /** MQTT 3.1.1 §4.7 topic filter matching. */
    static boolean matches(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }

    private final class Session {
        final Socket socket;
        final Map<String, Integer> subscriptions = new ConcurrentHashMap<>();
        private OutputStream out;

        Session(Socket socket) {
            this.socket = socket;
        }

        void run() {
            try (socket) {
                DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
                out = socket.getOutputStream();
                while (true) {
                    int header;
                    try {
                        header = in.read();
                    } catch (SocketTimeoutException e) {
                        keepAliveExpiries.incrementAndGet();
                        return; // §3.1.2.10: no packet within 1.5 x keep-alive
                    }
                    if (header < 0) {
                        return;
                    }
                    byte[] body = new byte[remainingLength(in)];
                    in.readFully(body);
                    DataInputStream p = new DataInputStream(new java.io.ByteArrayInputStream(body));
                    switch (header >> 4) {
                        case 1: { // CONNECT
                            p.readUTF(); // protocol name
                            p.readUnsignedByte(); // level
                            p.readUnsignedByte(); // flags
                            int keepAlive = p.readUnsignedShort();
                            if (keepAlive > 0) {
                                socket.setSoTimeout(keepAlive * 1500);
                            }
                            send(new byte[] {0x20, 2, 0, 0});
                            break;
                        }
                        case 3: { // PUBLISH
                            int qos = (header >> 1) & 3;
                            String topic = p.readUTF();
                            int id = qos > 0 ? p.readUnsignedShort() : 0;
                            byte[] payload = p.readAllBytes();
                            if (qos == 1) {
                                send(new byte[] {0x40, 2, (byte) (id >> 8), (byte) id});
                            }
                            publish(topic, payload);
                            break;
                        }
                        case 8: { // SUBSCRIBE
                            int id = p.readUnsignedShort();
                            ByteArrayOutputStream ack = new ByteArrayOutputStream();
                            ack.write(id >> 8);
                            ack.write(id);
                            while (p.available() > 0) {
                                String filter = p.readUTF();
                                int qos = p.readUnsignedByte();
                                subscriptions.put(filter, qos);
                                ack.write(Math.min(qos, 1));
                            }
                            send(packet(0x90, ack.toByteArray()));
                            break;
                        }
                        case 10: { // UNSUBSCRIBE
                            int id = p.readUnsignedShort();
                            while (p.available() > 0) {
                                subscriptions.remove(p.readUTF());
                            }
                            send(new byte[] {(byte) 0xb0, 2, (byte) (id >> 8), (byte) id});
                            break;
                        }
                        case 12: // PINGREQ
                            pings.incrementAndGet();
                            send(new byte[] {(byte) 0xd0, 0});
                            break;
                        case 14: // DISCONNECT
                            return;
                        default: // PUBACK of QoS 1 deliveries is not sent: they go out at QoS 0
                            break;
                    }
                }
            } catch (SocketException | EOFException e) {
                // the client went away
            } catch (IOException e) {
                e.printStackTrace();
            } finally {
                sessions.remove(this);
            }
        }

        void deliver(String topic, byte[] payload) {
            byte[] t = topic.getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.write(t.length >> 8);
            b.write(t.length);
            b.writeBytes(t);
            b.writeBytes(payload);
            try {
                send(packet(0x30, b.toByteArray()));
            } catch (IOException e) {
                // the subscriber is going away; its own thread closes it
            }
        }

        synchronized void send(byte[] packet) throws IOException {
            out.write(packet);
            out.flush();
        }
    }

    private static byte[] packet(int header, byte[] body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(header);
        int n = body.length;
        do {
            int digit = n % 128;
            n /= 128;
            b.write(n > 0 ? digit | 0x80 : digit);
        } while (n > 0);
        b.writeBytes(body);
        return b.toByteArray();
    }

    private static int remainingLength(DataInputStream in) throws IOException {
        int value = 0;
        for (int shift = 0; shift < 28; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("malformed remaining length");
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Session s : sessions) {
            s.socket.close();
        }
    }
}
