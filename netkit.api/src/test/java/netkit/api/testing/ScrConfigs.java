package netkit.api.testing;

import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * Component property types over a property map as Felix SCR gives them to a DS component: absent
 * keys take the annotation's default, and a value that cannot be coerced throws when its method is
 * called (SCR throws ComponentException there).
 */
public final class ScrConfigs {
    private ScrConfigs() {
    }

    /** An instance of the component property type {@code type} backed by {@code props}. */
    public static <T> T of(Class<T> type, Map<String, Object> props) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            Object v = props.get(m.getName());
            if (v == null) {
                return m.getDefaultValue();
            }
            Class<?> t = m.getReturnType();
            if (t == String[].class) {
                return v instanceof String[] a ? a : new String[] {v.toString()};
            }
            try {
                if (t == long.class) {
                    return Long.parseLong(v.toString());
                }
                if (t == int.class) {
                    return Integer.parseInt(v.toString());
                }
                if (t == boolean.class) {
                    return Boolean.parseBoolean(v.toString());
                }
            } catch (NumberFormatException e) {
                throw new IllegalStateException("Could not coerce " + v + " to " + t); // as ComponentException
            }
            return v.toString();
        }));
    }
}
