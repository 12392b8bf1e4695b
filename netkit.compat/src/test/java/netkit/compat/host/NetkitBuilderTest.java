package netkit.compat.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import netkit.api.SockAddr;
import netkit.api.admin.InterfaceStatus;
import org.junit.jupiter.api.Test;

/** The plain-Java builder: what it builds, and the one clear error for each bad argument. */
class NetkitBuilderTest {
    @Test
    void buildsAHostWithLoopbackAndTheDescribedInterfaces() throws Exception {
        try (NetkitHost h = Netkit.stack().name("b1").address("10.9.0.1/24").link("wire", "segment=b1").mtu(1400)
                .iface("eth1").address("10.9.1.1/24").link("wire", "segment=b1x").gateway("10.9.1.254").build()) {
            List<InterfaceStatus> ifaces = h.admin().interfaces();
            assertEquals(List.of("eth0", "eth1", "lo0"), ifaces.stream().map(InterfaceStatus::name).sorted().toList());
            assertTrue(h.admin().routes().stream().anyMatch(r -> r.prefix() == 0 && r.iface().equals("eth1")
                    && r.gateway() == SockAddr.parseAddress("10.9.1.254")), String.valueOf(h.admin().routes()));
            assertEquals(1400, ifaces.stream().filter(i -> i.name().equals("eth0")).findFirst().orElseThrow().mtu());
            try (ServerSocket s = h.serverSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress());
                    Socket c = h.socketFactory().createSocket(InetAddress.getLoopbackAddress(), s.getLocalPort());
                    Socket a = s.accept()) {
                c.getOutputStream().write(7);
                assertEquals(7, a.getInputStream().read());
            }
        }
    }

    @Test
    void badArgumentsAreRefusedWithOneClearError() {
        assertEquals("expected a.b.c.d/prefix, got '10.0.0.1'",
                assertThrows(IllegalArgumentException.class, () -> Netkit.stack().address("10.0.0.1")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Netkit.stack().address("10.0.0.1/33"));
        assertThrows(IllegalArgumentException.class, () -> Netkit.stack().address("10.0.0.300/24"));
        assertEquals("expected key=value, got 'segment'", assertThrows(IllegalArgumentException.class,
                () -> Netkit.stack().link("wire", "segment")).getMessage());
        assertEquals("interface eth0 needs link(driver, ...)", assertThrows(IllegalArgumentException.class,
                () -> Netkit.stack().address("10.0.0.1/24").build()).getMessage());
        assertEquals("interface eth0: no driver 'ethernet'", assertThrows(IllegalArgumentException.class,
                () -> Netkit.stack().address("10.0.0.1/24").link("ethernet").build()).getMessage());
        IllegalArgumentException badKey = assertThrows(IllegalArgumentException.class,
                () -> Netkit.stack().address("10.0.0.1/24").link("wire", "los=1%").build());
        assertTrue(badKey.getMessage().contains("los"), badKey.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Netkit.stack().name(" "));
    }
}
