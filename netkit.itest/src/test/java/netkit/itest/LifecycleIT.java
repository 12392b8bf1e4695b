package netkit.itest;

import static org.junit.Assert.assertEquals;

import javax.inject.Inject;
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

/** Bundles stopped, started and updated from the console. */
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
}
