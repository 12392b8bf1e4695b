package netkit.api.time;

/** A scheduled task on an {@link EventLoop}. */
public interface Timer {
    /** Cancels the task if it has not run; harmless otherwise. */
    void cancel();

    /** Whether the task is still waiting to run. */
    boolean pending();
}
