package netkit.console;

import org.apache.felix.service.command.Converter;
import org.osgi.service.component.annotations.Component;

/**
 * Prints the result objects of netkit commands ({@link PingResult}, {@link Listing},
 * {@link ProtocolStatistics}, {@link TracerouteResult}) as their {@code toString}, the text the
 * console shows: Gogo shells print a command's result at {@link Converter#INSPECT} level, which
 * without a converter lists every accessor of an object instead.
 */
@Component(service = Converter.class)
public final class ResultFormat implements Converter {
    /** Nothing is converted into netkit types. */
    @Override
    public Object convert(Class<?> desiredType, Object in) {
        return null;
    }

    @Override
    public CharSequence format(Object target, int level, Converter escape) {
        return target instanceof PingResult || target instanceof Listing || target instanceof ProtocolStatistics
                || target instanceof TracerouteResult ? target.toString() : null;
    }
}
