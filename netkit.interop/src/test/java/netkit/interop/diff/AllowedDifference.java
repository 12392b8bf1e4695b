package netkit.interop.diff;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of {@code differences.md}: a case, both stacks' normalised answers, its status and why.
 * Status {@code allowed}: the RFCs permit both answers; {@code linux deviates}: netkit does what an
 * RFC requires and Linux does not; {@code bug #N}: a netkit bug tracked in issue N.
 */
record AllowedDifference(String name, String linux, String netkit, String status, String why) {
    boolean bug() {
        return status.startsWith("bug");
    }

    /** Parses {@code ## name} headings followed by {@code - linux:}, {@code - netkit:}, {@code - status:}, {@code - why:} items. */
    static Map<String, AllowedDifference> parse(String markdown) {
        Map<String, AllowedDifference> out = new LinkedHashMap<>();
        String name = null;
        String linux = null;
        String netkit = null;
        String status = null;
        StringBuilder why = null;
        for (String line : (markdown + "\n## end").split("\n")) {
            if (line.startsWith("## ")) {
                if (name != null) {
                    if (linux == null || netkit == null || status == null || why == null || why.toString().isBlank()) {
                        throw new IllegalArgumentException("entry " + name + " lacks linux, netkit, status or why");
                    }
                    if (!status.equals("allowed") && !status.equals("linux deviates") && !status.matches("bug #\\d+")) {
                        throw new IllegalArgumentException("entry " + name + ": status must be allowed, linux deviates or bug #N");
                    }
                    out.put(name, new AllowedDifference(name, linux, netkit, status, why.toString().trim()));
                }
                name = line.substring(3).trim();
                linux = netkit = status = null;
                why = null;
            } else if (line.startsWith("- linux: ")) {
                linux = code(line);
            } else if (line.startsWith("- netkit: ")) {
                netkit = code(line);
            } else if (line.startsWith("- status: ")) {
                status = line.substring(10).trim();
            } else if (line.startsWith("- why: ")) {
                why = new StringBuilder(line.substring(7));
            } else if (why != null) {
                why.append('\n').append(line);
            }
        }
        return out;
    }

    private static String code(String line) {
        int a = line.indexOf('`');
        int b = line.lastIndexOf('`');
        if (a < 0 || b <= a) {
            throw new IllegalArgumentException("no `answers` in: " + line);
        }
        return line.substring(a + 1, b);
    }
}
