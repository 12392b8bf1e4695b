package netkit.api.spi.link;

import java.util.Objects;

/**
 * One parameter a link driver reads from {@link LinkConfig#parameters()}: its key, what it means and
 * its default, for people (the console's {@code netkit:link drivers}).
 *
 * @param key          the key, one of {@link LinkDriver#parameterKeys()}
 * @param meaning      what it sets, in a sentence (empty when the driver does not say)
 * @param defaultValue the value when absent, as text ({@code ""}: none)
 */
public record LinkParameter(String key, String meaning, String defaultValue) {
    /** Checks that no component is null. */
    public LinkParameter {
        Objects.requireNonNull(key);
        Objects.requireNonNull(meaning);
        Objects.requireNonNull(defaultValue);
    }
}
