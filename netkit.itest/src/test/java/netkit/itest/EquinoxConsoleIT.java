package netkit.itest;

import javax.inject.Inject;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * netkit in Equinox (org.eclipse.osgi, the framework of this test run: the build's {@code equinox}
 * execution puts it on the class path instead of Felix) with Equinox's console over Gogo.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EquinoxConsoleIT extends StockConsoleTests {
    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() {
        return StockContainer.with("org.apache.felix.gogo.runtime", "org.apache.felix.gogo.command",
                "org.apache.felix.gogo.shell", "org.eclipse.equinox.console");
    }

    @Override
    BundleContext context() {
        return context;
    }

    /**
     * Equinox's own {@code help NAME} runs Gogo's and drops the text it returns (gogo.command 1.1
     * returns it), so it prints nothing for any Gogo command; {@code help -scope netkit} prints each
     * netkit command's help.
     */
    @Override
    String helpNetkit() {
        return "help -scope netkit";
    }

    @org.junit.Test
    public void theFrameworkIsEquinox() {
        org.junit.Assert.assertEquals("org.eclipse.osgi", context.getBundle(0).getSymbolicName());
    }
}
