package netkit.itest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.inject.Inject;
import netkit.api.admin.NetworkAdmin;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * The metatype of every netkit PID as the Felix Web Console and Karaf's {@code config:meta} read it
 * (through the Metatype Service, from the OSGI-INF/metatype descriptors bnd generates): every object
 * class and every attribute has a label and a description, and closed sets are option lists.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MetatypeIT extends FrameworkTestSupport {
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

    private ObjectClassDefinition ocd(MetaTypeService mts, String pid) {
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() != null && b.getSymbolicName().startsWith("netkit.")) {
                MetaTypeInformation info = mts.getMetaTypeInformation(b);
                if (info != null && (List.of(info.getPids()).contains(pid) || List.of(info.getFactoryPids()).contains(pid))) {
                    return info.getObjectClassDefinition(pid, null);
                }
            }
        }
        return null;
    }

    @Test
    public void everyPidAndPropertyHasALabelAndADescription() throws Exception {
        service(NetworkAdmin.class);
        MetaTypeService mts = service(MetaTypeService.class);
        Set<String> pids = new TreeSet<>();
        List<String> missing = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() == null || !b.getSymbolicName().startsWith("netkit.")) {
                continue;
            }
            MetaTypeInformation info = mts.getMetaTypeInformation(b);
            if (info == null) {
                continue;
            }
            List<String> all = new ArrayList<>(List.of(info.getPids()));
            all.addAll(List.of(info.getFactoryPids()));
            for (String pid : all) {
                pids.add(pid);
                ObjectClassDefinition o = info.getObjectClassDefinition(pid, null);
                if (blank(o.getName()) || blank(o.getDescription())) {
                    missing.add(pid);
                }
                for (AttributeDefinition ad : o.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
                    if (blank(ad.getName()) || blank(ad.getDescription()) || ad.getName().equals(ad.getID())
                            && !ad.getID().equals("ndots")) {
                        missing.add(pid + "." + ad.getID() + " (name '" + ad.getName() + "')");
                    }
                }
            }
        }
        assertTrue("PIDs found: " + pids, pids.containsAll(Set.of("netkit.stack", "netkit.interface", "netkit.quota",
                "netkit.tcp", "netkit.icmp", "netkit.dns")));
        assertTrue("without a label or description: " + missing, missing.isEmpty());
    }

    @Test
    public void closedSetsAreOptionLists() throws Exception {
        MetaTypeService mts = service(MetaTypeService.class);
        AttributeDefinition cc = attribute(ocd(mts, "netkit.tcp"), "congestionControl");
        assertArrayEquals(new String[] {"cubic", "reno"}, cc.getOptionValues());
        AttributeDefinition driver = attribute(ocd(mts, "netkit.interface"), "driver");
        assertArrayEquals(new String[] {"loopback", "wire", "pair", "vxlan", "tap"}, driver.getOptionValues());
        assertFalse(driver.getOptionLabels()[1].isBlank());
    }

    private static AttributeDefinition attribute(ObjectClassDefinition o, String id) {
        assertNotNull(o);
        for (AttributeDefinition ad : o.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
            if (ad.getID().equals(id)) {
                return ad;
            }
        }
        throw new AssertionError("no attribute " + id + " in " + o.getID());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
