package netkit.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import javax.inject.Inject;
import netkit.api.Errno;
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

/** UDP and ICMP bundles in Felix: service, console ping and serve, stop/start of each bundle. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class DatagramIT extends FrameworkTestSupport {
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

    private int udpSocket(SocketManager api) throws Exception {
        await("udp protocol", () -> {
            try {
                api.closesocket(api.socket(Net.AF_INET, Net.SOCK_DGRAM, 0));
                return true;
            } catch (ErrnoException e) {
                return false;
            }
        });
        return api.socket(Net.AF_INET, Net.SOCK_DGRAM, 0);
    }

    @Test
    public void pingThroughTheConsoleReportsThreeReceived() throws Exception {
        service(SocketManager.class);
        await("icmp", () -> consoleOrEmpty("netkit:ping -c 1 -W 1 127.0.0.1").contains("1 received"));
        String out = console("netkit:ping -c 3 -i 0.2 127.0.0.1");
        assertTrue(out, out.contains("64 bytes from 127.0.0.1: icmp_seq=3 ttl=64 time="));
        assertTrue(out, out.contains("3 packets transmitted, 3 received, 0% packet loss"));
    }

    @Test
    public void udpEchoServiceAnswersThroughTheApi() throws Exception {
        SocketManager api = service(SocketManager.class);
        int s = udpSocket(api);
        assertTrue(console("netkit:serve udp echo 7777").contains("serving udp echo on port 7777"));
        api.setsockopt(s, Net.SOL_SOCKET, Net.SO_RCVTIMEO, 5000);
        api.sendto(s, "ping".getBytes(), 0, 4, 0, SockAddr.of("127.0.0.1", 7777));
        byte[] buf = new byte[16];
        RecvInfo info = new RecvInfo();
        assertEquals(4, api.recvfrom(s, buf, 0, 16, 0, info));
        assertEquals("ping", new String(buf, 0, 4));
        assertEquals(SockAddr.of("127.0.0.1", 7777), info.from());
        String list = console("netkit:serve list");
        assertTrue(list, list.contains("udp    echo     7777"));
        assertTrue(console("netkit:netstat").contains("*:7777"));
        console("netkit:serve stop 7777");
        api.closesocket(s);
    }

    @Test
    public void stoppingUdpGivesEnetdownAndStartingRestoresService() throws Exception {
        SocketManager api = service(SocketManager.class);
        int s = udpSocket(api);
        api.bind(s, SockAddr.of(0, 6000));
        Bundle udp = bundle("netkit.udp");
        udp.stop();
        assertEquals(Errno.ENETDOWN, errno(() -> api.sendto(s, new byte[1], 0, 1, 0, SockAddr.of("127.0.0.1", 9))));
        assertEquals(Errno.EPROTONOSUPPORT, errno(() -> api.socket(Net.AF_INET, Net.SOCK_DGRAM, 0)));
        api.closesocket(s);
        udp.start();
        int again = udpSocket(api);
        api.bind(again, SockAddr.of(0, 6000));
        api.closesocket(again);
    }

    @Test
    public void stoppingIcmpMakesPingSaySoAndStartingRestoresIt() throws Exception {
        service(SocketManager.class);
        await("icmp", () -> consoleOrEmpty("netkit:ping -c 1 -W 1 127.0.0.1").contains("1 received"));
        Bundle icmp = bundle("netkit.icmp");
        icmp.stop();
        String out = "";
        try {
            out = console("netkit:ping -c 1 127.0.0.1");
        } catch (Exception failed) { // the command fails (exit status 1) with one line
            for (Throwable t = failed; t != null; t = t.getCause()) {
                out += t.getMessage() + "\n";
            }
        }
        assertTrue(out, out.contains("ICMP is not available") && out.contains("EPROTONOSUPPORT"));
        icmp.start();
        await("icmp back", () -> consoleOrEmpty("netkit:ping -c 1 -W 1 127.0.0.1").contains("1 received"));
    }

    /**
     * A raw ICMP socket in Felix: a user-space ping of 127.0.0.1 (the reply with its IPv4 header),
     * then stopping netkit.icmp turns the socket into ENETDOWN and new raw sockets into
     * EPROTONOSUPPORT; starting it again serves them.
     */
    @Test
    public void aRawSocketPingsAndStoppingIcmpGivesEnetdown() throws Exception {
        SocketManager api = service(SocketManager.class);
        await("raw icmp", () -> {
            try {
                api.closesocket(api.socket(Net.AF_INET, Net.SOCK_RAW, Net.IPPROTO_ICMP));
                return true;
            } catch (ErrnoException e) {
                return false;
            }
        });
        int s = api.socket(Net.AF_INET, Net.SOCK_RAW, Net.IPPROTO_ICMP);
        api.setsockopt(s, Net.SOL_SOCKET, Net.SO_RCVTIMEO, 5000);
        api.setsockopt(s, Net.SOL_RAW, Net.ICMP_FILTER, ~1); // echo replies only
        byte[] request = new byte[16];
        request[0] = 8; // echo request; the stack fills in the zero checksum
        request[5] = 42;
        api.sendto(s, request, 0, request.length, 0, SockAddr.of("127.0.0.1", 0));
        byte[] buf = new byte[64];
        assertEquals(36, api.recv(s, buf, 0, buf.length, 0));
        assertEquals(0x45, buf[0]);
        assertEquals(0, buf[20]);
        assertEquals(42, buf[25]);
        Bundle icmp = bundle("netkit.icmp");
        icmp.stop();
        assertEquals(Errno.ENETDOWN, errno(() -> api.recv(s, buf, 0, buf.length, Net.MSG_DONTWAIT)));
        assertEquals(Errno.EPROTONOSUPPORT, errno(() -> api.socket(Net.AF_INET, Net.SOCK_RAW, Net.IPPROTO_ICMP)));
        api.closesocket(s);
        icmp.start();
        await("raw icmp back", () -> {
            try {
                api.closesocket(api.socket(Net.AF_INET, Net.SOCK_RAW, Net.IPPROTO_ICMP));
                return true;
            } catch (ErrnoException e) {
                return false;
            }
        });
    }
}
