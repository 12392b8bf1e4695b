package netkit.console.shell;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import org.apache.felix.service.command.Job;

/**
 * A long-running command made known to the shell it runs in, so that Ctrl-C ends it the way its own end
 * would: its blocking socket call fails with EINTR, it closes its socket and returns its summary,
 * which the shell prints. (Gogo's own {@link Job#interrupt()} cancels the job's futures: the prompt
 * would return before the command had finished and its result would be lost; the shell uses it only
 * for commands that do not register.)
 *
 * <p>The interrupt reaches the command's thread only while it is inside {@link #call}, a blocking
 * socket call: Gogo writes a command's output through an interruptible channel, which an interrupt
 * arriving during a write (or a write with the interrupt flag set) closes for good. Outside a call,
 * Ctrl-C is remembered and the next {@link #call} or {@link #check} fails with EINTR. A call that
 * fails with EINTR because something else interrupted the thread counts as Ctrl-C too. The
 * interrupt flag is cleared whenever a call returns after Ctrl-C: the command has taken it.
 *
 * <pre>{@code
 * try (Interruptible command = Interruptible.enter()) {
 *     n = command.call(() -> sockets.recv(s, buf, 0, buf.length, 0));   // EINTR after Ctrl-C
 * }
 * }</pre>
 *
 * <p>A shell delivers Ctrl-C with {@link #interrupt(Job)}; the netkit shell (bundle
 * {@code netkit.shell}) does. Under another shell (Gogo's own, Karaf's, Equinox's) Ctrl-C interrupts
 * the command's thread, which a blocking {@link #call} takes as Ctrl-C too.
 */
public final class Interruptible implements AutoCloseable {
    /** A blocking socket call. */
    @FunctionalInterface
    public interface Call<T> {
        T call() throws ErrnoException;
    }

    /** Guarded by itself: the running commands of each Gogo job (key null outside Gogo). */
    private static final Map<Job, List<Interruptible>> RUNNING = new HashMap<>();

    private final Job job;
    private final Thread thread;
    private boolean cancelled; // guarded by this
    private boolean blocking; // guarded by this

    private Interruptible(Job job, Thread thread) {
        this.job = job;
        this.thread = thread;
    }

    /** Registers the calling thread's command under the Gogo job it runs for (if any). */
    public static Interruptible enter() {
        Interruptible i = new Interruptible(currentJob(), Thread.currentThread());
        synchronized (RUNNING) {
            RUNNING.computeIfAbsent(i.job, k -> new ArrayList<>()).add(i);
        }
        return i;
    }

    /**
     * Ctrl-C for the registered commands of {@code job}.
     *
     * @return whether there were any
     */
    public static boolean interrupt(Job job) {
        List<Interruptible> commands;
        synchronized (RUNNING) {
            List<Interruptible> registered = job == null ? null : RUNNING.get(job);
            if (registered == null) {
                return false;
            }
            commands = new ArrayList<>(registered);
        }
        commands.forEach(Interruptible::cancel);
        return true;
    }

    /** Ctrl-C: interrupts a blocking call in progress, or makes the next one fail. */
    public synchronized void cancel() {
        cancelled = true;
        if (blocking) {
            thread.interrupt();
        }
    }

    /**
     * Runs a blocking socket call, which Ctrl-C ends with EINTR.
     *
     * @throws ErrnoException EINTR after Ctrl-C, or what the call throws
     */
    public <T> T call(Call<T> call) throws ErrnoException {
        synchronized (this) {
            check();
            blocking = true;
        }
        try {
            return call.call();
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EINTR) {
                synchronized (this) {
                    cancelled = true; // interrupted by someone else: end as after Ctrl-C
                }
            }
            throw e;
        } finally {
            synchronized (this) {
                blocking = false;
                if (cancelled) {
                    Thread.interrupted(); // the interrupt was for the call, which has returned
                }
            }
        }
    }

    /**
     * Ends a stretch of work that does not block (data keeps arriving, say) after Ctrl-C or an
     * interrupt of the thread, as a blocking call would.
     *
     * @throws ErrnoException EINTR after Ctrl-C or an interrupt
     */
    public synchronized void check() throws ErrnoException {
        if (Thread.interrupted()) {
            cancelled = true; // interrupted by someone else: end as after Ctrl-C (the flag is taken)
        }
        if (cancelled) {
            throw new ErrnoException(Errno.EINTR, "interrupted");
        }
    }

    /** Unregisters the command. */
    @Override
    public void close() {
        synchronized (RUNNING) {
            List<Interruptible> commands = RUNNING.get(job);
            commands.remove(this);
            if (commands.isEmpty()) {
                RUNNING.remove(job);
            }
        }
    }

    /** The top-level Gogo job of the calling thread, or null (not run by Gogo, or no Gogo at all). */
    private static Job currentJob() {
        try {
            return Job.Utils.current();
        } catch (LinkageError noGogoRuntime) {
            return null;
        }
    }
}
