package netkit.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line options the way POSIX {@code getopt} reads them, so that Linux habits work in the
 * console: {@code -c 1} and {@code -c1}, {@code -W1}, {@code -i0.2}, clustered flags
 * ({@code -tuln}), {@code --} ends the options. A spec is getopt's: each option letter, followed by
 * {@code :} when it takes a value ({@code "c:s:i:W:t:R"}). Long options ({@code --bytes N}) are named
 * in {@code longs}, with {@code =} when they take a value ({@code "bytes="}); {@code --bytes=N}
 * works too. An option given twice keeps its last value, as in Linux tools.
 */
final class Options {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> operands = new ArrayList<>();

    private Options() {
    }

    /**
     * Parses {@code args}.
     *
     * @param command the command's name, for error messages ({@code ping: invalid option -- 'x'})
     * @throws IllegalArgumentException an unknown option or a missing value, in getopt's words
     */
    static Options parse(String command, String spec, Object[] args, String... longs) {
        Options o = new Options();
        boolean optionsDone = false;
        for (int i = 0; i < args.length; i++) {
            String a = String.valueOf(args[i]);
            if (optionsDone || a.length() < 2 || a.charAt(0) != '-' || isNumber(a)) {
                o.operands.add(a);
                continue;
            }
            if (a.equals("--")) {
                optionsDone = true;
                continue;
            }
            if (a.startsWith("--")) {
                String name = a.substring(2);
                String inline = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    inline = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                String found = null;
                for (String l : longs) {
                    if (l.equals(name) || l.equals(name + "=")) {
                        found = l;
                    }
                }
                if (found == null) {
                    throw new IllegalArgumentException(command + ": unrecognized option '--" + name + "'");
                }
                if (found.endsWith("=")) {
                    if (inline == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(command + ": option '--" + name
                                    + "' requires an argument");
                        }
                        inline = String.valueOf(args[++i]);
                    }
                    o.values.put("--" + name, inline);
                } else {
                    o.values.put("--" + name, "");
                }
                continue;
            }
            for (int j = 1; j < a.length(); j++) {
                char c = a.charAt(j);
                int at = spec.indexOf(c);
                if (at < 0 || c == ':') {
                    throw new IllegalArgumentException(command + ": invalid option -- '" + c + "'");
                }
                if (at + 1 < spec.length() && spec.charAt(at + 1) == ':') {
                    String value;
                    if (j + 1 < a.length()) {
                        value = a.substring(j + 1);
                    } else if (i + 1 < args.length) {
                        value = String.valueOf(args[++i]);
                    } else {
                        throw new IllegalArgumentException(command + ": option requires an argument -- '" + c
                                + "'");
                    }
                    o.values.put("-" + c, value);
                    break;
                }
                o.values.put("-" + c, "");
            }
        }
        return o;
    }

    /** A negative number is an operand, not options ({@code ping -c -3} is refused by its range check). */
    private static boolean isNumber(String a) {
        return a.length() > 1 && Character.isDigit(a.charAt(1));
    }

    /** Whether the flag ({@code "-n"}, {@code "--bytes"}) was given. */
    boolean has(String option) {
        return values.containsKey(option);
    }

    /** The option's value, or {@code absent}. */
    String get(String option, String absent) {
        return values.getOrDefault(option, absent);
    }

    /** The arguments that are not options, in order. */
    List<String> operands() {
        return operands;
    }

    /**
     * The one operand a command needs ({@code HOST}).
     *
     * @throws IllegalArgumentException none or more than one, with the command's usage
     */
    String single(String usage) {
        if (operands.size() != 1) {
            throw new IllegalArgumentException(operands.isEmpty() ? "usage: " + usage
                    : "too many arguments " + operands + "; usage: " + usage);
        }
        return operands.get(0);
    }
}
