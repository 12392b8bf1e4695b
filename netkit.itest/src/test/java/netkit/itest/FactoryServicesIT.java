package netkit.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Collection;
import javax.inject.Inject;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import netkit.api.SocketManager;
import netkit.api.admin.NetworkAdmin;
import netkit.api.admin.SocketStatus;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * netkit.compat in the runtime: a javax.net SocketFactory and ServerSocketFactory service per
 * SocketManager service, and java.net sockets from them that connect on the runtime's lo0, owned
 * by the bundle that got the factories.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class FactoryServicesIT extends FrameworkTestSupport {
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
    public void factoriesAreRegisteredPerSocketManager() throws Exception {
        service(SocketFactory.class);
        service(ServerSocketFactory.class);
        Collection<ServiceReference<SocketManager>> managers = context.getServiceReferences(SocketManager.class, null);
        assertEquals(1, managers.size());
        Object id = managers.iterator().next().getProperty("service.id");
        for (Class<?> type : new Class<?>[] {SocketFactory.class, ServerSocketFactory.class}) {
            Collection<? extends ServiceReference<?>> refs = context.getServiceReferences(type, null);
            assertEquals(type.getName(), 1, refs.size());
            assertEquals(id, refs.iterator().next().getProperty("netkit.sockets.service.id"));
        }
    }

    @Test(timeout = 60_000)
    public void socketsFromTheServicesConnectOnLoopbackAndBelongToTheirUser() throws Exception {
        SocketFactory sockets = service(SocketFactory.class);
        ServerSocketFactory servers = service(ServerSocketFactory.class);
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        ServerSocket[] server = new ServerSocket[1];
        await("tcp protocol", () -> {
            try {
                server[0] = servers.createServerSocket(0, 4, lo);
                return true;
            } catch (java.io.IOException e) {
                return false; // Protocol not supported until netkit.tcp is up
            }
        });
        try (ServerSocket s = server[0]; Socket c = sockets.createSocket(lo, s.getLocalPort()); Socket a = s.accept()) {
            OutputStream out = c.getOutputStream();
            out.write("netkit".getBytes());
            c.shutdownOutput();
            InputStream in = a.getInputStream();
            assertEquals("netkit", new String(in.readAllBytes()));
            assertEquals(c.getLocalPort(), a.getPort());
            String probe = context.getBundle().getSymbolicName();
            NetworkAdmin admin = service(NetworkAdmin.class);
            long ours = admin.sockets().stream().map(SocketStatus::owner).filter(o -> o.contains(probe)).count();
            assertTrue("listener, client and accepted socket are the probe's: " + admin.sockets(), ours >= 3);
        }
    }
}
