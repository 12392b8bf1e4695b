package netkit.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Boot to prompt of the executable jar as a user runs it: {@code java -jar netkit.jar} in a base
 * directory with {@code printf 'netkit:ifconfig\nexit\n'} piped in, timed from starting the process to
 * the first line of the command's answer ({@code lo0: ...}; with piped input no prompt is printed, so
 * the first answer is the first moment the console is usable). Once in an empty directory (the first
 * start: bundles installed into {@code data/}) and once more in the same directory ({@code data/}
 * kept, every later start). The kernel's column: a bare JVM start ({@code java -version}) for scale.
 */
final class Boot {
    /** The jar: {@code bench.jar}, else {@code netkit.runtime/target/netkit.jar} from here or the parent. */
    static Path jar() {
        String p = System.getProperty("bench.jar");
        if (p != null) {
            return Path.of(p);
        }
        Path here = Path.of("netkit.runtime/target/netkit.jar");
        return Files.isRegularFile(here) ? here : Path.of("../netkit.runtime/target/netkit.jar");
    }

    private Boot() {
    }

    /** Milliseconds to the first answer: {first start, start with data/ kept}. */
    static double[] netkit(Path jar) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("netkit-boot-");
        try {
            return new double[] {firstAnswerMillis(jar, home), firstAnswerMillis(jar, home)};
        } finally {
            try (Stream<Path> s = Files.walk(home)) {
                s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static double firstAnswerMillis(Path jar, Path home) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(java(), "-jar", jar.toAbsolutePath().toString()).directory(home.toFile())
                .redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write("netkit:ifconfig\nexit\n".getBytes(StandardCharsets.UTF_8));
        }
        long answered = -1;
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null;) {
                if (answered < 0 && line.startsWith("lo0:")) {
                    answered = System.nanoTime();
                }
                out.append(line).append('\n');
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || answered < 0) {
            p.destroyForcibly();
            throw new IllegalStateException("no lo0 in the runtime's answer: " + out);
        }
        return (answered - t0) / 1e6;
    }

    /** Milliseconds for {@code java -version}, start to exit. */
    static double jvmMillis() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(List.of(java(), "-version")).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor();
        return (System.nanoTime() - t0) / 1e6;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
