package netkit.itest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.ops4j.pax.exam.CoreOptions.streamBundle;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.inject.Inject;
import netkit.api.SocketManager;
import netkit.itest.consumer.UdpConsumer;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.ops4j.pax.tinybundles.TinyBundles;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Readiness: the SocketManager service lists the protocols present in {@code netkit.protocols},
 * updated as protocol bundles come and go, so a DS consumer targeting {@code (netkit.protocols=udp)}
 * activates only once UDP is there and never sees a start-order EPROTONOSUPPORT.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class ReadinessIT extends FrameworkTestSupport {
    private static final String CONSUMER = "netkit.itest.consumer";

    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"udp-consumer\""
                + " immediate=\"true\" activate=\"activate\">\n"
                + "  <implementation class=\"" + UdpConsumer.class.getName() + "\"/>\n"
                + "  <reference name=\"sockets\" interface=\"netkit.api.SocketManager\" bind=\"bind\""
                + " target=\"(netkit.protocols=udp)\"/>\n"
                + "</scr:component>\n";
        return new Option[] {NetkitOptions.runtime(),
            streamBundle(TinyBundles.bundle().symbolicName(CONSUMER)
                    .setHeader("Bundle-ManifestVersion", "2")
                    .setHeader("Import-Package", "netkit.api")
                    .setHeader("Service-Component", "OSGI-INF/consumer.xml")
                    .addClass(UdpConsumer.class)
                    .addResource("OSGI-INF/consumer.xml", new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
                    .build(TinyBundles.rawBuilder())).noStart()};
    }

    @Override
    BundleContext context() {
        return context;
    }

    private String[] protocols() {
        ServiceReference<SocketManager> ref = context.getServiceReference(SocketManager.class);
        Object value = ref == null ? null : ref.getProperty(SocketManager.PROTOCOLS);
        String[] names = value == null ? new String[0] : ((String[]) value).clone();
        Arrays.sort(names);
        return names;
    }

    @Test
    public void theServiceListsTheProtocolsPresentAsTheyComeAndGo() throws Exception {
        service(SocketManager.class);
        // netkit.icmp registers two protocols: icmp (ping sockets) and raw (SOCK_RAW sockets)
        await("udp, icmp, raw and tcp", () -> Arrays.equals(protocols(), new String[] {"icmp", "raw", "tcp", "udp"}));
        bundle("netkit.udp").stop();
        await("udp gone", () -> Arrays.equals(protocols(), new String[] {"icmp", "raw", "tcp"}));
        bundle("netkit.tcp").stop();
        assertArrayEquals(new String[] {"icmp", "raw"}, protocols());
        bundle("netkit.udp").start();
        await("udp back", () -> Arrays.equals(protocols(), new String[] {"icmp", "raw", "udp"}));
        bundle("netkit.tcp").start();
        assertArrayEquals(new String[] {"icmp", "raw", "tcp", "udp"}, protocols());
    }

    @Test
    public void aConsumerTargetingUdpStartsOnlyWithUdpAndNeverSeesEprotonosupport() throws Exception {
        System.clearProperty(UdpConsumer.OUTCOMES);
        service(SocketManager.class);
        bundle("netkit.udp").stop();
        bundle(CONSUMER).start();
        Thread.sleep(300);
        assertEquals("not activated without UDP", null, System.getProperty(UdpConsumer.OUTCOMES));
        bundle("netkit.udp").start();
        await("the consumer's activation", () -> System.getProperty(UdpConsumer.OUTCOMES) != null);
        // UDP leaving takes the consumer down with it; UDP returning brings it back.
        bundle("netkit.udp").stop();
        bundle("netkit.udp").start();
        await("the second activation", () -> System.getProperty(UdpConsumer.OUTCOMES).split(" ").length == 2);
        assertEquals("ok ok", System.getProperty(UdpConsumer.OUTCOMES));
    }
}
