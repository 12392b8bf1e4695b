package netkit.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.Dictionary;
import java.util.Hashtable;
import javax.inject.Inject;
import netkit.api.Errno;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.api.admin.InterfaceStatus;
import netkit.api.admin.NetworkAdmin;
import netkit.api.spi.protocol.TransportProtocol;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The shipped runtime's bundles in a real Felix: every one active, services, console, hot-swap of links,
 * token scoping.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class RuntimeIT extends FrameworkTestSupport {
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

    private static InterfaceStatus iface(NetworkAdmin admin, String name) {
        for (InterfaceStatus s : admin.interfaces()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    @Test
    public void bundlesStartAndServicesAppear() throws Exception {
        bundle("org.apache.felix.fileinstall");
        for (Bundle b : context.getBundles()) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                assertEquals(b.getSymbolicName() + " active", Bundle.ACTIVE, b.getState());
            }
        }
        service(SocketManager.class);
        NetworkAdmin admin = service(NetworkAdmin.class);
        await("lo0 running", () -> iface(admin, "lo0") != null && iface(admin, "lo0").running());
        assertEquals(0x7f000001, iface(admin, "lo0").address());
    }

    @Test
    public void consoleCommandsRespond() throws Exception {
        service(NetworkAdmin.class);
        String ifconfig = console("netkit:ifconfig");
        assertTrue(ifconfig, ifconfig.contains("lo0: <UP,LOOPBACK,RUNNING> mtu 65536"));
        assertTrue(ifconfig, ifconfig.contains("inet 127.0.0.1/8"));
        String route = console("netkit:route");
        assertTrue(route, route.contains("127.0.0.0/8 dev lo0 proto kernel scope link src 127.0.0.1"));
        assertTrue(console("netkit:netstat").contains("Proto"));
        assertEquals("", console("netkit:arp").trim());
        String links = console("netkit:link list");
        assertTrue(links, links.contains(" pair") && links.contains(" wire") && links.contains(" loopback"));
    }

    @Test
    public void stoppingTheLinkBundleTakesLoopbackDownAndStartingBringsItBack() throws Exception {
        NetworkAdmin admin = service(NetworkAdmin.class);
        await("lo0 running", () -> iface(admin, "lo0").running());
        Bundle link = bundle("netkit.link");
        link.stop();
        await("lo0 not running", () -> !iface(admin, "lo0").running());
        assertTrue("stays configured", iface(admin, "lo0").up());
        assertTrue(console("netkit:ifconfig lo0"), console("netkit:ifconfig lo0").contains("<UP,LOOPBACK>"));
        link.start();
        await("lo0 running again", () -> iface(admin, "lo0").running());
    }

    @Test
    public void interfacesComeFromConfigAdminAndTheConsole() throws Exception {
        NetworkAdmin admin = service(NetworkAdmin.class);
        ConfigurationAdmin cm = service(ConfigurationAdmin.class);
        org.osgi.service.cm.Configuration c = cm.getFactoryConfiguration("netkit.interface", "eth0", "?");
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("name", "eth0");
        p.put("driver", "wire");
        p.put("address", "10.9.0.1/24");
        p.put("parameters", new String[] {"segment=itest"});
        c.update(p);
        await("eth0 running", () -> iface(admin, "eth0") != null && iface(admin, "eth0").running());
        assertEquals(24, iface(admin, "eth0").prefix());
        console("netkit:ifconfig eth0 10.9.0.7/16 mtu 1400");
        await("eth0 reconfigured", () -> iface(admin, "eth0").address() == 0x0a090007);
        assertEquals(16, iface(admin, "eth0").prefix());
        assertEquals(1400, iface(admin, "eth0").mtu());
        assertTrue(console("netkit:route").contains("10.9.0.0/16 dev eth0"));
        console("netkit:route add 192.168.50.0/24 via 10.9.0.254");
        assertTrue(console("netkit:route").contains("192.168.50.0/24 via 10.9.0.254 dev eth0 proto static"));
        console("netkit:ifconfig eth0 delete");
        await("eth0 removed", () -> iface(admin, "eth0") == null);
    }

    /**
     * A VXLAN link that cannot bind its port is a failure the console reports (it throws: one error
     * line, status 1) and undoes: a new interface is not created, a changed one gets its previous
     * configuration back and keeps running. Once the port is free, relinks (MTU changes, swaps on
     * the same port) all work and keep the MAC.
     */
    @Test
    public void aLinkThatCannotOpenIsRolledBackAndRelinksOnOnePortAlwaysWork() throws Exception {
        NetworkAdmin admin = service(NetworkAdmin.class);
        int port;
        try (java.nio.channels.DatagramChannel holder = java.nio.channels.DatagramChannel.open(
                java.net.StandardProtocolFamily.INET).bind(new java.net.InetSocketAddress("127.0.0.1", 0))) {
            port = ((java.net.InetSocketAddress) holder.getLocalAddress()).getPort();
            String error = failure("netkit:link add vx9 vxlan local=127.0.0.1:" + port + " remote=127.0.0.1:9");
            assertTrue(error, error.contains("link failed: cannot bind") && error.contains("vx9 not created")
                    && !error.contains("configured"));
            assertEquals("no vx9 left behind", null, iface(admin, "vx9"));
        }
        // The port free now, the same command adds it.
        assertEquals("added vx9 on vxlan\n", console("netkit:link add vx9 vxlan local=127.0.0.1:" + port
                + " remote=127.0.0.1:9"));
        assertTrue(iface(admin, "vx9").running());
        long mac = iface(admin, "vx9").mac();
        for (int i = 0; i < 10; i++) {
            assertEquals("swapped vx9 on vxlan\n", console("netkit:link swap vx9 vxlan local=127.0.0.1:" + port
                    + " remote=127.0.0.1:9 vni=" + (40 + i % 2)));
            assertTrue("swap " + i, iface(admin, "vx9").running());
            assertEquals("swap " + i + " kept the MAC", mac, iface(admin, "vx9").mac());
            assertTrue(console("netkit:ifconfig vx9 mtu " + (1300 + i)).startsWith("configured vx9\n"));
            assertTrue("mtu " + i, iface(admin, "vx9").running());
        }
        // A change to a port that is taken: the previous configuration comes back and runs.
        try (java.nio.channels.DatagramChannel holder = java.nio.channels.DatagramChannel.open(
                java.net.StandardProtocolFamily.INET).bind(new java.net.InetSocketAddress("127.0.0.1", 0))) {
            int taken = ((java.net.InetSocketAddress) holder.getLocalAddress()).getPort();
            String error = failure("netkit:ifconfig vx9 param local=127.0.0.1:" + taken);
            assertTrue(error, error.contains("link failed: cannot bind")
                    && error.contains("previous configuration of vx9 restored") && !error.contains("not running"));
            assertTrue("running on its old port", iface(admin, "vx9").running());
            assertEquals(1309, iface(admin, "vx9").mtu());
        }
        assertTrue(console("netkit:ifconfig vx9"), console("netkit:ifconfig vx9").contains(" overruns "));
        console("netkit:ifconfig vx9 delete");
    }

    /** The message of the exception {@code command} fails with (the console's one error line). */
    private String failure(String command) {
        try {
            console(command);
        } catch (Exception expected) {
            return String.valueOf(expected.getMessage());
        }
        throw new AssertionError("succeeded: " + command);
    }

    @Test
    public void aBadStackConfigurationIsLoggedAndTheStackStillStarts() throws Exception {
        ConfigurationAdmin cm = service(ConfigurationAdmin.class);
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("maxSockets", "banana"); // as a .cfg file line gives it: a string
        p.put("icmpErrorsPerSecond", "-1");
        cm.getConfiguration("netkit.stack", "?").update(p);
        Bundle stack = bundle("netkit.stack");
        stack.stop();
        stack.start();
        await("lo0 up again", () -> consoleOrEmpty("netkit:ifconfig").contains("lo0: <UP,LOOPBACK,RUNNING>"));
        assertTrue(console("netkit:route").contains("127.0.0.0/8 dev lo0"));
    }

    @Test
    public void badConsoleInputChangesNothing() throws Exception {
        NetworkAdmin admin = service(NetworkAdmin.class);
        await("lo0 running", () -> iface(admin, "lo0") != null && iface(admin, "lo0").running());
        for (String bad : new String[] {"netkit:link swap lo0 nosuchdriver", "netkit:ifconfig lo0 mtu -5",
            "netkit:ifconfig lo0 mtu abc", "netkit:ifconfig lo0 mtu 99999999", "netkit:ifconfig new0 driver nosuch",
            "netkit:link add new0 nosuch",
            "netkit:ifconfig lo0 127.0.0.1/33", "netkit:ifconfig lo0 param loss=banana",
            "netkit:ping -t 0 127.0.0.1", "netkit:ping -c 0 127.0.0.1",
            "netkit:send --file /nonexistent/netkit tcp 127.0.0.1 9"}) {
            try {
                console(bad);
                throw new AssertionError("accepted: " + bad);
            } catch (Exception expected) {
                // refused before any change
            }
        }
        Thread.sleep(200); // Config Admin would apply a change asynchronously
        InterfaceStatus lo = iface(admin, "lo0");
        assertEquals("loopback", lo.driver());
        assertTrue(lo.running());
        assertEquals(65536, lo.mtu());
        assertEquals(8, lo.prefix());
        assertEquals("no interface made", null, iface(admin, "new0"));
    }

    @Test
    public void tokensAreScopedPerBundleAndClosedWhenItStops() throws Exception {
        ServiceRegistration<TransportProtocol> reg = context.registerService(TransportProtocol.class,
                new NullProtocol(), null);
        try {
            SocketManager mine = service(SocketManager.class);
            Bundle console = bundle("netkit.console");
            BundleContext other = console.getBundleContext();
            ServiceReference<SocketManager> ref = other.getServiceReference(SocketManager.class);
            SocketManager theirs = other.getService(ref);
            assertNotSame("bundle scope: one instance per bundle", mine, theirs);
            int t = theirs.socket(Net.AF_INET, Net.SOCK_DGRAM, NullProtocol.NUMBER);
            assertEquals("another bundle's token must be EBADF", Errno.EBADF, errno(() -> mine.getsockname(t)));
            NetworkAdmin admin = service(NetworkAdmin.class);
            assertEquals(1, admin.sockets().stream().filter(s -> s.token() >= 0).count()); // orphans: -1
            console.stop();
            await("sockets of the stopped bundle closed",
                    () -> admin.sockets().stream().noneMatch(s -> s.token() >= 0));
            console.start();
        } finally {
            reg.unregister();
        }
    }

    @Test
    public void aBundleQuotaFromConfigAdminIsEnforcedShownAndFreedWhenTheBundleStops() throws Exception {
        ServiceRegistration<TransportProtocol> reg = context.registerService(TransportProtocol.class,
                new NullProtocol(), null);
        ConfigurationAdmin cm = service(ConfigurationAdmin.class);
        org.osgi.service.cm.Configuration quota = cm.getFactoryConfiguration("netkit.quota", "console", "?");
        try {
            SocketManager mine = service(SocketManager.class);
            Bundle console = bundle("netkit.console");
            BundleContext other = console.getBundleContext();
            SocketManager theirs = other.getService(other.getServiceReference(SocketManager.class));
            Dictionary<String, Object> p = new Hashtable<>();
            p.put("bundle", "netkit.console");
            p.put("maxSockets", "2");
            quota.update(p);
            NetworkAdmin admin = service(NetworkAdmin.class);
            theirs.socket(Net.AF_INET, Net.SOCK_DGRAM, NullProtocol.NUMBER);
            await("the quota of 2 applied", () -> admin.owners().stream()
                    .anyMatch(u -> u.owner().startsWith("netkit.console") && u.maxSockets() == 2));
            theirs.socket(Net.AF_INET, Net.SOCK_DGRAM, NullProtocol.NUMBER);
            assertEquals("over its quota", Errno.EMFILE,
                    errno(() -> theirs.socket(Net.AF_INET, Net.SOCK_DGRAM, NullProtocol.NUMBER)));
            int s = mine.socket(Net.AF_INET, Net.SOCK_DGRAM, NullProtocol.NUMBER); // another bundle is not affected
            String summary = console("netkit:netstat -b");
            assertTrue(summary, java.util.regex.Pattern.compile("netkit\\.console \\[" + console.getBundleId()
                    + "\\] +2/2 ").matcher(summary).find());
            console.stop();
            await("the stopped bundle's quota freed", () -> admin.owners().stream()
                    .noneMatch(u -> u.owner().startsWith("netkit.console")));
            console.start();
            mine.closesocket(s);
        } finally {
            quota.delete();
            reg.unregister();
        }
    }

    @Test
    public void protocolLeavingGivesEnetdownAndReturningRestoresService() throws Exception {
        ServiceRegistration<TransportProtocol> reg = context.registerService(TransportProtocol.class,
                new NullProtocol(), null);
        SocketManager sockets = service(SocketManager.class);
        int s = sockets.socket(Net.AF_INET, Net.SOCK_DGRAM, NullProtocol.NUMBER);
        reg.unregister();
        assertEquals("ENETDOWN expected", Errno.ENETDOWN, errno(() -> sockets.send(s, new byte[1], 0, 1, 0)));
        assertEquals("EPROTONOSUPPORT expected", Errno.EPROTONOSUPPORT,
                errno(() -> sockets.socket(Net.AF_INET, Net.SOCK_DGRAM, NullProtocol.NUMBER)));
        sockets.closesocket(s);
        reg = context.registerService(TransportProtocol.class, new NullProtocol(), null);
        int again = sockets.socket(Net.AF_INET, Net.SOCK_DGRAM, NullProtocol.NUMBER);
        assertNotEquals("a closed token is not handed out again at once", s, again);
        assertEquals("the returned protocol serves the new socket", SockAddr.ANY, sockets.getsockname(again));
        sockets.closesocket(again);
        reg.unregister();
    }
}
