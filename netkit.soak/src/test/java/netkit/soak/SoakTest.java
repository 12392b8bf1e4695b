package netkit.soak;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The seeded soak: {@code soak.seeds} scenarios (30 in the normal build, 10,000 with {@code -Psoak})
 * starting at seed {@code soak.first}, or only seed {@code soak.seed}. Prints a summary table; each
 * failing seed is printed with what it drew and a command that replays it alone.
 */
class SoakTest {
    @Test
    void seeds() {
        String only = System.getProperty("soak.seed", "");
        long first = only.isBlank() ? Long.getLong("soak.first", 1) : Long.parseLong(only.trim());
        long count = only.isBlank() ? Long.getLong("soak.seeds", 30) : 1;
        Tally total = new Tally();
        long slowest = 0;
        long slowestSeed = first;
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (long seed = first; seed < first + count; seed++) {
            long s0 = System.nanoTime();
            Scenario sc = null;
            Tally t;
            try {
                sc = new Scenario(seed);
                t = sc.run();
            } catch (RuntimeException | Error e) {
                t = sc != null ? sc.tally : new Tally();
                t.seeds = 1;
                StringWriter sw = new StringWriter();
                e.printStackTrace(new PrintWriter(sw));
                t.findings.add("seed " + seed + ": the scenario threw " + sw.toString().lines().limit(12)
                        .reduce((a, b) -> a + "\n    " + b).orElse(""));
                t.failedSeeds.add(seed);
            }
            long took = System.nanoTime() - s0;
            if (took > slowest) {
                slowest = took;
                slowestSeed = seed;
            }
            if (!t.findings.isEmpty()) {
                System.out.println("SOAK FAILURE seed " + seed + "; replay: " + replay(seed));
                if (sc != null) {
                    sc.plan().forEach(line -> System.out.println("  plan: " + line));
                }
                t.findings.forEach(f -> System.out.println("  finding: " + f));
            }
            total.merge(t);
        }
        long wall = System.nanoTime() - t0;
        long cpu = mx.getCurrentThreadCpuTime() - cpu0;
        System.out.println(summary(total, wall, cpu, slowest, slowestSeed));
        assertTrue(total.findings.isEmpty(), total.failedSeeds.size() + " seed(s) failed: " + total.failedSeeds
                + "; first finding: " + (total.findings.isEmpty() ? "" : total.findings.get(0)));
    }

    static String replay(long seed) {
        return "mvn -B -ntp -o verify -pl netkit.soak -am -Dtest=SoakTest -Dsurefire.failIfNoSpecifiedTests=false"
                + " -Dsoak.seed=" + seed;
    }

    static String summary(Tally t, long wallNanos, long cpuNanos, long slowestNanos, long slowestSeed) {
        StringBuilder sb = new StringBuilder("\n== netkit soak summary\n");
        row(sb, "seeds", t.seeds + (t.seeds > 0 ? " (" + (t.seeds - t.failedSeeds.size()) + " clean)" : ""));
        row(sb, "TCP transfers", t.transfers + " (" + t.transfersCompleted + " completed byte-exact, "
                + t.transfersFailedAsExpected + " failed as expected, " + t.transfersGivenUp + " given up)");
        row(sb, "bytes verified", String.format("%,d", t.bytes));
        row(sb, "checksum-blind", t.checksumBlindCorruptions
                + " transfers took a segment whose two bit errors cancel in its checksum (RFC 1071)");
        row(sb, "UDP datagrams", t.datagramsSent + " sent, " + t.datagramsDelivered + " delivered intact");
        row(sb, "link swaps", "" + t.linkSwaps);
        row(sb, "protocol restarts", "" + t.protocolRestarts);
        StringBuilder errnos = new StringBuilder();
        for (Map.Entry<String, Long> e : t.failuresByErrno.entrySet()) {
            errnos.append(errnos.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue());
        }
        row(sb, "failures by errno", errnos.length() == 0 ? "none" : errnos.toString());
        row(sb, "findings", t.findings.size() + (t.failedSeeds.isEmpty() ? "" : " in seeds " + t.failedSeeds));
        row(sb, "simulated time", String.format("%,d s", t.simulatedMillis / 1000));
        row(sb, "wall time", String.format("%.1f s (%.1f ms per seed; slowest seed %d: %.0f ms)", wallNanos / 1e9,
                t.seeds == 0 ? 0 : wallNanos / 1e6 / t.seeds, slowestSeed, slowestNanos / 1e6));
        row(sb, "CPU time", String.format("%.1f s (%.1f ms per seed)", cpuNanos / 1e9,
                t.seeds == 0 ? 0 : cpuNanos / 1e6 / t.seeds));
        return sb.toString();
    }

    private static void row(StringBuilder sb, String k, String v) {
        sb.append(String.format("  %-18s %s%n", k, v));
    }
}
