package netkit.api.time;

import org.osgi.annotation.versioning.ProviderType;

/** A scheduled task on an {@link EventLoop}. */
@ProviderType
public interface Timer {
    /** Cancels the task if it has not run; harmless otherwise. */
    void cancel();

    /** Whether the task is still waiting to run. */
    boolean pending();
}
