package netkit.api.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;

import netkit.api.Errno;
import netkit.api.ErrnoException;
import org.junit.jupiter.api.function.Executable;

/**
 * The errno assertion every module's tests share (netkit.api's test-jar): a call must fail with an
 * {@link ErrnoException}, and the test compares its {@link Errno}.
 */
public final class ErrnoAssertions {
    private ErrnoAssertions() {
    }

    /** Runs {@code call}, fails the test unless it throws {@link ErrnoException}, returns its errno. */
    public static Errno errno(Executable call) {
        return assertThrows(ErrnoException.class, call).errno();
    }
}
