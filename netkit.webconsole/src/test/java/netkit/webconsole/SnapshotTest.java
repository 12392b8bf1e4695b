package netkit.webconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.link.loopback.LoopbackDriver;
import netkit.stack.Stack;
import netkit.stack.StackSettings;
import netkit.stack.iface.InterfaceConfig;
import netkit.tcp.TcpProtocol;
import org.junit.jupiter.api.Test;

/** data.json of a real stack: lo0 with its counters, the connected route, TCP sockets with srtt and cwnd. */
class SnapshotTest {
    @Test
    void aLiveStackAsJson() throws Exception {
        try (Stack stack = new Stack("web-test", null, StackSettings.defaults(), 7)) {
            stack.addDriver(new LoopbackDriver());
            stack.configure(InterfaceConfig.of("lo0", "loopback", Net.INADDR_LOOPBACK, 8));
            stack.addProtocol(new TcpProtocol());
            SocketManager sm = stack.sockets("web");
            int l = sm.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
            sm.bind(l, SockAddr.of("127.0.0.1", 9000));
            sm.listen(l, 4);
            int c = sm.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
            sm.connect(c, SockAddr.of("127.0.0.1", 9000));
            sm.send(c, new byte[1000], 0, 1000, 0);
            Thread.sleep(200);

            String json = Snapshot.json(List.of(stack.admin()), List.of("loopback"), true, 1234);
            assertTrue(json.startsWith("{\"time\":1234,\"swap\":true,\"drivers\":[\"loopback\"],\"stacks\":[{\"name\":\"web-test\""), json);
            assertTrue(json.contains("{\"name\":\"lo0\",\"driver\":\"loopback\",\"up\":true,\"running\":true"), json);
            assertTrue(json.contains("\"address\":\"127.0.0.1/8\""), json);
            assertTrue(json.contains("\"destination\":\"127.0.0.0/8\""), json);
            assertTrue(json.contains("\"owner\":\"web\",\"protocol\":\"tcp\",\"local\":\"127.0.0.1:9000\",\"localAddress\":\"127.0.0.1\",\"remote\":\"*:*\",\"state\":\"LISTEN\""), json);
            assertTrue(json.contains("\"state\":\"ESTABLISHED\""), json);
            assertTrue(json.contains("\"srtt\":\"") && json.contains("\"cwnd\":\"") && json.contains("\"retrans\":\"0\""), json);
            assertTrue(json.contains("\"bytes_acked\":\"1000\""), "the throughput chart's counter, from TcpInfo: " + json);
            assertTrue(json.contains("\"RetransSegs\":0"), json);
            assertTrue(!json.contains("\"txBytes\":0,"), "lo0 counted the connection: " + json);
        }
    }

    @Test
    void stringsAreEscaped() {
        assertEquals("{\"a\":\"q\\\" \\\\ \\n \\u003c/script\\u003e\",\"b\":null,\"c\":[1,true]}",
                new Json().beginObject().field("a", "q\" \\ \n </script>").field("b", (String) null)
                        .name("c").beginArray().value(1).value(true).endArray().endObject().toString());
    }
}
