package netkit.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import javax.inject.Inject;
import netkit.api.Net;
import netkit.api.netdb.HostEntry;
import netkit.api.netdb.NetDb;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.BundleContext;

/** The resolver bundle in Felix: the NetDb service, localhost from its hosts table, names in the console. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class DnsIT extends FrameworkTestSupport {
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
    public void theNetDbServiceResolvesLocalhostAndServices() throws Exception {
        NetDb netdb = service(NetDb.class);
        assertEquals(new HostEntry("localhost", List.of(), List.of(Net.INADDR_LOOPBACK)), netdb.gethostbyname("localhost"));
        assertEquals("localhost", netdb.gethostbyaddr(Net.INADDR_LOOPBACK).name());
        assertEquals("netkit", netdb.gethostname());
        assertEquals(53, netdb.getservbyname("domain", "udp").orElseThrow().port());
    }

    @Test
    public void pingLocalhostAndHostWorkInTheConsole() throws Exception {
        service(NetDb.class);
        await("icmp", () -> consoleOrEmpty("netkit:ping -c 1 -W 1 127.0.0.1").contains("1 received"));
        String out = console("netkit:ping -c 2 -i 0.2 localhost");
        assertTrue(out, out.contains("PING localhost (127.0.0.1) 56(84) bytes of data."));
        assertTrue(out, out.contains("2 packets transmitted, 2 received, 0% packet loss"));
        assertEquals("localhost has address 127.0.0.1\n", console("netkit:host localhost"));
    }
}
