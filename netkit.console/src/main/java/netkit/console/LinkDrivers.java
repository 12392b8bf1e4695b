package netkit.console;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;
import netkit.api.spi.impair.ImpairmentParameters;
import netkit.api.spi.link.LinkDriver;
import netkit.api.spi.link.LinkParameter;

/**
 * {@code netkit:link drivers}: each link driver present with the parameters it reads
 * ({@link LinkDriver#parameters()}: key, meaning, default), then the impairment keys the stack takes
 * on every driver.
 */
final class LinkDrivers {
    private LinkDrivers() {
    }

    static String describe(Collection<String> names, Function<String, LinkDriver> drivers) {
        StringBuilder sb = new StringBuilder();
        for (String name : names) {
            LinkDriver d = drivers.apply(name);
            if (d == null) {
                continue; // left meanwhile
            }
            List<LinkParameter> params = d.parameters();
            sb.append(name).append(params.isEmpty() ? ": no parameters\n" : ":\n");
            if (!params.isEmpty()) {
                Table t = new Table("  Parameter", "Default", "Meaning");
                for (LinkParameter p : params) {
                    t.row("  " + p.key(), p.defaultValue().isEmpty() ? "-" : p.defaultValue(),
                            p.meaning().isEmpty() ? "-" : p.meaning());
                }
                sb.append(t);
            }
        }
        sb.append("every driver also takes the impairment parameters ")
                .append(String.join(" ", new TreeSet<>(ImpairmentParameters.KEYS))).append('\n');
        return sb.toString();
    }
}
