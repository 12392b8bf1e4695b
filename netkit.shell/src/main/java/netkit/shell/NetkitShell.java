package netkit.shell;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import netkit.console.shell.CommandFailure;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The netkit console on the process's standard input, started when the framework property
 * {@code netkit.shell} is {@code true} (the runtime jar sets it). On a terminal it uses JLine for
 * line editing and history; with piped input it runs each line once the framework has started,
 * prints results and exits with 0 (or 1 if a command failed) at end of input or at a line
 * {@code exit} ({@code exit N}: status N), never waiting for a terminal.
 */
@Component(immediate = true, service = {})
public final class NetkitShell {
    private final CommandProcessor processor;
    private final BundleContext context;
    private Thread thread;
    private volatile Terminal terminal;
    private volatile boolean stopping;
    private volatile TerminalLoop loop;

    @Activate
    public NetkitShell(@Reference CommandProcessor processor, BundleContext context) {
        this.processor = processor;
        this.context = context;
        if ("true".equals(context.getProperty("netkit.shell"))) {
            thread = new Thread(this::run, "netkit-shell");
            thread.start();
        }
    }

    @Deactivate
    void deactivate() {
        stopping = true;
        TerminalLoop l = loop;
        if (l != null) {
            l.stop();
        }
        Terminal t = terminal;
        if (t != null) {
            try {
                t.close();
            } catch (java.io.IOException ignored) {
                // closing anyway
            }
        }
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void run() {
        try {
            awaitFrameworkStarted();
            int status = interactive() ? runTerminal() : runPiped();
            if (!stopping) {
                exit(status);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Piped commands must not run before every bundle's commands are registered: wait for bnd's
     * launcher to say it has started every bundle (its service with {@code launcher.ready=true}; the
     * framework is active long before, while bundles are still starting, Declarative Services among
     * them) and then for service registrations to go quiet; at most 5 s in all.
     */
    private void awaitFrameworkStarted() throws InterruptedException {
        long[] last = {System.nanoTime()};
        org.osgi.framework.ServiceListener listener = e -> last[0] = System.nanoTime();
        context.addServiceListener(listener);
        try {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!stopping && System.nanoTime() < deadline
                    && (!launcherReady() || System.nanoTime() - last[0] < 150_000_000L)) {
                Thread.sleep(10);
            }
        } finally {
            context.removeServiceListener(listener);
        }
    }

    /** Whether the framework is active and bnd's launcher (if that is what started it) has started every bundle. */
    private boolean launcherReady() {
        if (context.getBundle(0).getState() != Bundle.ACTIVE) {
            return false;
        }
        try {
            return context.getServiceReferences((String) null, "(launcher.ready=true)") != null
                    || context.getServiceReferences("aQute.launcher.Launcher", null) == null;
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether standard input and output are a terminal (JDK 22+ asks the console, 17 has none then). */
    static boolean interactive() {
        java.io.Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // JDK < 22: a non-null console is a terminal
        }
    }

    private int runPiped() {
        // Gogo routes System.out per thread to the session; the session itself needs the real descriptors.
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true,
                StandardCharsets.UTF_8);
        CommandSession session = processor.createSession(System.in, out, err);
        int status = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line; !stopping && (line = in.readLine()) != null;) {
                Integer exit = exitStatus(line, status);
                if (exit != null) {
                    return exit; // the rest of the input is not run, as in sh
                }
                if (!execute(session, line, out)) {
                    status = 1;
                }
            }
        } catch (java.io.IOException e) {
            System.err.println("netkit: reading input: " + e.getMessage());
            status = 1;
        } finally {
            session.close();
        }
        return status;
    }

    private int runTerminal() {
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        // JLine finds its terminal providers through the context class loader: give it its own.
        Thread.currentThread().setContextClassLoader(Terminal.class.getClassLoader());
        try (Terminal t = TerminalBuilder.builder().system(true).name("netkit").build()) {
            terminal = t;
            TerminalLoop loop = new TerminalLoop(processor, t,
                    Paths.get(System.getProperty("user.home"), ".netkit_history"), new RegistryData(context));
            this.loop = loop;
            if (!stopping) {
                loop.run();
            }
            return 0;
        } catch (java.io.IOException e) {
            System.err.println("netkit: no terminal (" + e.getMessage() + "), reading plain input");
            return runPiped();
        } finally {
            Thread.currentThread().setContextClassLoader(tccl);
        }
    }

    /**
     * The status to leave with when {@code line} is {@code exit} or {@code quit} ({@code exit N}: N;
     * otherwise {@code status}, whether a command failed so far), else null.
     */
    static Integer exitStatus(String line, int status) {
        String[] words = line.trim().split("\\s+");
        if (!(words[0].equals("exit") || words[0].equals("quit")) || words.length > 2) {
            return null;
        }
        if (words.length == 1) {
            return status;
        }
        try {
            return Integer.parseInt(words[1]) & 0xff;
        } catch (NumberFormatException e) {
            return null; // not the shell's exit: let Gogo say what it is
        }
    }

    /**
     * Runs one line, prints its result (or one error line on standard error).
     *
     * @return whether it succeeded
     */
    static boolean execute(CommandSession session, String line, PrintStream out) {
        if (line.isBlank() || line.trim().startsWith("#")) {
            return true;
        }
        try {
            Object result = session.execute(line);
            if (result != null) {
                CharSequence text = session.format(result, Converter.INSPECT);
                out.print(text);
                if (text.length() > 0 && text.charAt(text.length() - 1) != '\n') {
                    out.println();
                }
            }
            out.flush();
            return true;
        } catch (Exception e) {
            out.flush();
            Throwable cause = e;
            while (cause instanceof java.lang.reflect.InvocationTargetException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof CommandFailure) {
                return false; // it printed its output, which says why (ping's statistics): exit status 1 only
            }
            String message = cause instanceof InterruptedException ? "interrupted"
                    : cause.getMessage() != null ? cause.getMessage() : cause.toString();
            // a message that names the command ("ping: usage error: ...") prints as Linux tools print it
            System.err.println(message.startsWith(commandName(line) + ": ") ? message : "netkit: " + message);
            if (Boolean.getBoolean("netkit.debug")) {
                cause.printStackTrace();
            }
            return false;
        }
    }

    /** The command a line runs, without its scope: {@code netkit:ping -c1 x} is {@code ping}. */
    static String commandName(String line) {
        String first = line.trim().split("\\s+")[0];
        return first.substring(first.indexOf(':') + 1);
    }

    /**
     * Ends the process with {@code status}. The first {@code System.exit} decides the status; the
     * launcher's shutdown hook then stops the framework (components deactivate, sockets close) and
     * removes its storage.
     */
    private static void exit(int status) {
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }
}
