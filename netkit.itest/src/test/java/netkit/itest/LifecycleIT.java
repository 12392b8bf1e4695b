package netkit.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import javax.inject.Inject;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.RecvInfo;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** Bundles stopped, started and updated from the console; services surviving their protocol's restart. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class LifecycleIT extends FrameworkTestSupport {
    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() {
        return new Option[] {NetkitOptions.runtime()};
    }

    @Override
    BundleContext context() {
        return context;
    }

    @Test
    public void felixStopStartAndUpdateTakeBundleIds() throws Exception {
        service(SocketManager.class);
        Bundle udp = bundle("netkit.udp");
        long id = udp.getBundleId();
        console("felix:stop " + id);
        assertEquals("RESOLVED after felix:stop", Bundle.RESOLVED, udp.getState());
        console("felix:start " + id);
        assertEquals("ACTIVE after felix:start", Bundle.ACTIVE, udp.getState());
        long modified = udp.getLastModified();
        console("felix:update " + id);
        await("updated and active again", () -> udp.getState() == Bundle.ACTIVE && udp.getLastModified() != modified);
        console("felix:stop netkit.udp");
        assertEquals("a symbolic name names the bundle too", Bundle.RESOLVED, udp.getState());
        udp.start();
    }

    @Test
    public void udpServiceComesBackWhenUdpReturns() throws Exception {
        SocketManager api = service(SocketManager.class);
        await("udp protocol", () -> open(api, Net.SOCK_DGRAM));
        console("netkit:serve udp echo 7100");
        assertTrue("echo before", udpEcho(api, 7100));
        Bundle udp = bundle("netkit.udp");
        udp.stop();
        udp.start();
        await("echo after udp restarted", () -> udpEcho(api, 7100));
        String list = console("netkit:serve list");
        assertTrue(list, list.contains("running") && !list.contains("ENETDOWN"));
        console("netkit:serve stop 7100");
    }

    @Test
    public void tcpServiceComesBackWhenTcpReturns() throws Exception {
        SocketManager api = service(SocketManager.class);
        await("tcp protocol", () -> open(api, Net.SOCK_STREAM));
        console("netkit:serve tcp echo 7101");
        assertTrue("echo before", tcpEcho(api, 7101));
        Bundle tcp = bundle("netkit.tcp");
        tcp.stop();
        tcp.start();
        await("echo after tcp restarted", () -> tcpEcho(api, 7101));
        String list = console("netkit:serve list");
        assertTrue(list, list.contains("running") && !list.contains("ENETDOWN"));
        console("netkit:serve stop 7101");
    }

    private static boolean open(SocketManager api, int type) {
        try {
            api.closesocket(api.socket(Net.AF_INET, type, 0));
            return true;
        } catch (ErrnoException e) {
            return false;
        }
    }

    /** One datagram echoed by 127.0.0.1:{@code port} within a second; false on any error. */
    private static boolean udpEcho(SocketManager api, int port) {
        int s = -1;
        try {
            s = api.socket(Net.AF_INET, Net.SOCK_DGRAM, 0);
            api.setsockopt(s, Net.SOL_SOCKET, Net.SO_RCVTIMEO, 1000);
            api.sendto(s, "ping".getBytes(StandardCharsets.US_ASCII), 0, 4, 0, SockAddr.of("127.0.0.1", port));
            byte[] buf = new byte[16];
            return api.recvfrom(s, buf, 0, buf.length, 0, new RecvInfo()) == 4;
        } catch (ErrnoException e) {
            return false;
        } finally {
            close(api, s);
        }
    }

    /** One connection to 127.0.0.1:{@code port} echoing four bytes within a second; false on any error. */
    private static boolean tcpEcho(SocketManager api, int port) {
        int s = -1;
        try {
            s = api.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
            api.setsockopt(s, Net.SOL_SOCKET, Net.SO_RCVTIMEO, 1000);
            api.connect(s, SockAddr.of("127.0.0.1", port));
            api.send(s, "ping".getBytes(StandardCharsets.US_ASCII), 0, 4, 0);
            byte[] buf = new byte[16];
            return api.recv(s, buf, 0, buf.length, 0) == 4;
        } catch (ErrnoException e) {
            return false;
        } finally {
            close(api, s);
        }
    }

    private static void close(SocketManager api, int s) {
        if (s >= 0) {
            try {
                api.closesocket(s);
            } catch (ErrnoException ignored) {
                // already gone with its protocol
            }
        }
    }
}
