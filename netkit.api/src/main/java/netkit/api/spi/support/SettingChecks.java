package netkit.api.spi.support;

/** Range checks shared by the settings builders of the stack and its protocols. */
public final class SettingChecks {
    private SettingChecks() {
    }

    /**
     * Refuses {@code value} below {@code min}.
     *
     * @throws IllegalArgumentException naming the setting, its value and the bound
     */
    public static void atLeast(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " " + value + " is below " + min);
        }
    }
}
