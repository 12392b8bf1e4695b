package netkit.shell;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion in the netkit shell: command names first, then each netkit command's own words:
 * interface names ({@code ifconfig}, {@code link add|swap}, {@code capture}, {@code arp flush},
 * {@code route ... dev}), link driver names ({@code ifconfig IFACE driver}, {@code link add|swap IFACE}),
 * the ports of running services ({@code serve stop}), keywords and options.
 */
final class NetkitCompleter implements Completer {
    /** What completion offers from the running stack. */
    interface Data {
        /** Interface names. */
        Collection<String> interfaces();

        /** Link driver names present. */
        Collection<String> drivers();

        /** Local ports of listening TCP and bound UDP sockets. */
        Collection<String> ports();
    }

    private final Supplier<Collection<String>> commands;
    private final Data data;

    NetkitCompleter(Supplier<Collection<String>> commands, Data data) {
        this.commands = commands;
        this.data = data;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        for (String c : candidates(line.words(), line.wordIndex())) {
            candidates.add(new Candidate(c));
        }
    }

    /** The words that may stand at {@code index} of {@code words} (the word being typed included). */
    List<String> candidates(List<String> words, int index) {
        List<String> out = new ArrayList<>();
        if (index == 0) {
            out.addAll(commands.get());
            return out;
        }
        String command = words.get(0).substring(words.get(0).indexOf(':') + 1);
        String previous = words.get(index - 1);
        String first = index >= 2 ? words.get(1) : "";
        switch (command) {
            case "ifconfig" -> {
                if (index == 1) {
                    out.addAll(data.interfaces());
                } else if (previous.equals("driver")) {
                    out.addAll(data.drivers());
                } else if (!List.of("mtu", "gw", "mac", "param", "static").contains(previous)) {
                    out.addAll(List.of("up", "down", "mtu", "driver", "gw", "mac", "param", "delete", "dhcp", "static",
                            "nodhcp"));
                }
            }
            case "link" -> {
                if (index == 1) {
                    out.addAll(List.of("list", "add", "swap"));
                } else if (index == 2 && !first.equals("list")) {
                    out.addAll(data.interfaces());
                } else if (index == 3 && !first.equals("list")) {
                    out.addAll(data.drivers());
                }
            }
            case "capture" -> {
                if (index == 1) {
                    out.addAll(List.of("start", "stop", "list"));
                } else if (index == 2 && (first.equals("start") || first.equals("stop"))) {
                    out.addAll(data.interfaces());
                }
            }
            case "arp" -> {
                if (index == 1) {
                    out.add("flush");
                } else if (index == 2 && first.equals("flush")) {
                    out.addAll(data.interfaces());
                }
            }
            case "route" -> {
                if (index == 1) {
                    out.addAll(List.of("add", "del"));
                } else if (previous.equals("dev")) {
                    out.addAll(data.interfaces());
                } else if (first.equals("add") && index >= 3 && !List.of("via", "metric").contains(previous)) {
                    out.addAll(List.of("via", "dev", "metric"));
                } else if (first.equals("add") && index == 2) {
                    out.add("default");
                }
            }
            case "serve" -> {
                if (index == 1) {
                    out.addAll(List.of("udp", "tcp", "stop", "list"));
                } else if (index == 2 && first.equals("udp")) {
                    out.addAll(List.of("echo", "discard"));
                } else if (index == 2 && first.equals("tcp")) {
                    out.addAll(List.of("echo", "discard", "chargen", "sink"));
                } else if (index == 2 && first.equals("stop")) {
                    out.addAll(data.ports());
                }
            }
            case "netstat" -> out.addAll(List.of("-s", "-t", "-u", "-l", "-a", "-n", "-e", "-i", "-b", "--tsv"));
            case "nstat" -> out.add("-z");
            case "sysctl" -> out.addAll(List.of("-a", "-w"));
            case "ping" -> out.addAll(List.of("-c", "-s", "-i", "-W", "-t", "-R"));
            case "traceroute" -> out.addAll(List.of("-n", "-m", "-q", "-w", "-p"));
            case "send" -> {
                if (!previous.startsWith("--")) {
                    out.addAll(List.of("--bytes", "--file", "tcp"));
                }
            }
            case "help" -> {
                if (index == 1) {
                    out.add("netkit");
                    for (String c : commands.get()) {
                        if (c.indexOf(':') < 0) {
                            out.add(c);
                        }
                    }
                }
            }
            default -> {
                // another bundle's command: nothing known about its arguments
            }
        }
        return out;
    }
}
