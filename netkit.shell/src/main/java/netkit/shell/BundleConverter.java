package netkit.shell;

import org.apache.felix.service.command.Converter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Turns command arguments into bundles for Gogo's coercion, as the stock Gogo shell's converters
 * do: {@code felix:stop 12}, {@code felix:update netkit.udp}. Gogo's command bundle declares
 * {@code stop(boolean, Bundle[])} and {@code update(Bundle)} and leaves the conversion to the shell
 * implementation, which the netkit shell replaces.
 */
@Component(service = Converter.class)
public final class BundleConverter implements Converter {
    private final BundleContext context;

    @Activate
    public BundleConverter(BundleContext context) {
        this.context = context;
    }

    /** A bundle from its id, location or symbolic name; null (not convertible) for anything else. */
    @Override
    public Object convert(Class<?> desiredType, Object in) {
        if (desiredType != Bundle.class || !(in instanceof CharSequence)) {
            return null;
        }
        String s = in.toString();
        try {
            return context.getBundle(Long.parseLong(s));
        } catch (NumberFormatException notAnId) {
            // a location or a symbolic name
        }
        for (Bundle b : context.getBundles()) {
            if (s.equals(b.getLocation()) || s.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    /** Formatting is left to Gogo's defaults. */
    @Override
    public CharSequence format(Object target, int level, Converter escape) {
        return null;
    }
}
