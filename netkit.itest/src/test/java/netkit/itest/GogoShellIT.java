package netkit.itest;

import javax.inject.Inject;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/** netkit in Felix with the stock Gogo JLine shell (gogo.jline 1.1.8 on JLine 3.20, as Felix ships it). */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GogoShellIT extends StockConsoleTests {
    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() {
        return StockContainer.with("org.apache.felix.gogo.runtime", "org.apache.felix.gogo.command", "jline",
                "org.apache.felix.gogo.jline");
    }

    @Override
    BundleContext context() {
        return context;
    }
}
