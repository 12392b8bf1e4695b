package netkit.shell;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import netkit.console.shell.Interruptible;
import org.apache.felix.service.command.Job;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;

/**
 * The interactive console on a JLine terminal: reads a line (editing, history, completion of
 * command names and of the netkit commands' arguments: interfaces, drivers, ports, keywords), runs it, prints its result; {@code exit}, {@code quit} or Ctrl-D leaves. Ctrl-C
 * at the prompt discards the line; while a command runs it interrupts the command.
 */
final class TerminalLoop {
    private static final String PROMPT = "g! ";

    private final CommandProcessor processor;
    private final Terminal terminal;
    private final Path history;
    private final NetkitCompleter.Data data;
    private volatile boolean stopping;

    TerminalLoop(CommandProcessor processor, Terminal terminal, Path history) {
        this(processor, terminal, history, null);
    }

    /** {@code data}: interfaces, drivers and ports for completion (null: command names only). */
    TerminalLoop(CommandProcessor processor, Terminal terminal, Path history, NetkitCompleter.Data data) {
        this.processor = processor;
        this.terminal = terminal;
        this.history = history;
        this.data = data;
    }

    /** Runs until {@code exit}, end of input or {@link #stop()}. */
    void run() {
        PrintStream out = new PrintStream(terminal.output(), true, StandardCharsets.UTF_8);
        CommandSession session = processor.createSession(terminal.input(), out, out);
        try {
            LineReaderBuilder builder = LineReaderBuilder.builder().terminal(terminal).appName("netkit")
                    .completer(data == null ? new StringsCompleter(() -> commandNames(session))
                            : new NetkitCompleter(() -> commandNames(session), data));
            if (history != null) {
                builder.variable(LineReader.HISTORY_FILE, history);
            }
            LineReader reader = builder.build();
            // Ctrl-C while a command runs interrupts it (ping stops and prints its statistics);
            // at the prompt the line reader handles it.
            terminal.handle(Terminal.Signal.INT, signal -> interrupt(session.foregroundJob()));
            terminal.writer().println(
                    "netkit console: 'help netkit' lists commands, Ctrl-C stops one, Ctrl-D or 'exit' leaves.");
            terminal.flush();
            while (!stopping) {
                String line;
                try {
                    line = reader.readLine(PROMPT);
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                if (line.trim().equals("exit") || line.trim().equals("quit")) {
                    break;
                }
                NetkitShell.execute(session, line, out);
            }
        } finally {
            session.close();
        }
    }

    /**
     * SIGINT: interrupts the threads of the running command that registered as {@link Interruptible}
     * (it ends and its result is printed), or else the whole job the way Gogo's own shell does.
     */
    static void interrupt(Job job) {
        if (job != null && !Interruptible.interrupt(job)) {
            job.interrupt();
        }
    }

    /** Makes {@link #run()} return after the current line. */
    void stop() {
        stopping = true;
    }

    /** Command names for completion: {@code scope:function} and the bare function. */
    static Collection<String> commandNames(CommandSession session) {
        Set<String> names = new TreeSet<>();
        Object commands = session.get(".commands");
        if (commands instanceof Collection<?> c) {
            for (Object o : c) {
                String n = o.toString();
                names.add(n);
                names.add(n.substring(n.indexOf(':') + 1));
            }
        }
        return names;
    }
}
