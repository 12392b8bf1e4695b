package netkit.api.time;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a stack's work runs and where its time comes from: received frames are processed and timers
 * fire as tasks on the loop, one at a time. {@link RealTimeLoop} uses a thread and the system
 * clock; {@link SimulatedLoop} runs on virtual time under a test's control, so several stacks and
 * wires sharing one simulated loop behave deterministically.
 */
@ProviderType
public interface EventLoop {
    /** The loop's clock in nanoseconds (monotonic; only differences mean anything). */
    long nanoTime();

    /** Runs {@code task} on the loop as soon as possible, after tasks already queued. */
    void execute(Runnable task);

    /** Runs {@code task} on the loop after {@code delayNanos} of loop time. */
    Timer schedule(long delayNanos, Runnable task);
}
