package netkit.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import netkit.compat.testing.MiniMqttBroker;
import netkit.compat.testing.TwoHosts;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A long-lived client with timeouts: Eclipse Paho's MQTT 3.1.1 client (org.eclipse.paho.client.mqttv3
 * 1.2.5, through MqttConnectOptions.setSocketFactory) on one netkit host, a minimal broker on the
 * other host's ServerSocketFactory. Paho reads with a 1 s SO_TIMEOUT and pings on its keep-alive
 * timer; the connection idles across several keep-alive periods and still carries messages.
 */
class MqttTest {
    @Test
    @Timeout(60)
    void pahoKeepsALongLivedConnectionWithKeepAlivesAndDeliversInOrder() throws Exception {
        try (TwoHosts net = new TwoHosts("mqtt", "loss=1%");
                MiniMqttBroker broker = new MiniMqttBroker(net.b.serverSocketFactory(), 1883)) {
            String uri = "tcp://" + TwoHosts.B + ":1883";
            MqttConnectOptions options = new MqttConnectOptions();
            options.setSocketFactory(net.a.socketFactory());
            options.setKeepAliveInterval(1);
            options.setConnectionTimeout(5);
            options.setCleanSession(true);
            // Paho 1.2.5 completes a synchronous QoS 1 publish before its callback thread lowers the
            // in-flight count (eclipse-paho/paho.mqtt.java#551), so back-to-back publishes can hit the
            // default limit of 10 with nothing really in flight: "Too many publishes in progress"
            // (seen once in CI). The limit is a client-side bookkeeping bound, not a network one.
            options.setMaxInflight(1000);
            MqttClient subscriber = new MqttClient(uri, "sub", new MemoryPersistence());
            MqttClient publisher = new MqttClient(uri, "pub", new MemoryPersistence());
            try {
                subscriber.connect(options);
                publisher.connect(options);
                BlockingQueue<String> got = new LinkedBlockingQueue<>();
                subscriber.subscribe("netkit/+/temp", 1, (topic, message) -> got.add(topic + "=" + message));
                Thread.sleep(4000); // idle: only keep-alive pings cross, each answered
                assertTrue(subscriber.isConnected() && publisher.isConnected(), "alive after idling");
                assertTrue(broker.pings.get() >= 4, "keep-alive pings were sent: " + broker.pings.get());
                List<String> sent = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    String topic = "netkit/" + (i % 3) + "/temp";
                    publisher.publish(topic, Integer.toString(i).getBytes(), 1, false);
                    sent.add(topic + "=" + i);
                }
                publisher.publish("netkit/other", "ignored".getBytes(), 1, false);
                List<String> received = new ArrayList<>();
                while (received.size() < sent.size()) {
                    String m = got.poll(20, TimeUnit.SECONDS);
                    assertTrue(m != null, "timed out after " + received.size() + " messages");
                    received.add(m);
                }
                assertEquals(sent, received, "every message, in order, nothing else");
                assertEquals(0, broker.keepAliveExpiries.get());
            } finally {
                if (publisher.isConnected()) {
                    publisher.disconnect();
                }
                if (subscriber.isConnected()) {
                    subscriber.disconnect();
                }
                publisher.close();
                subscriber.close();
            }
        }
    }
}
