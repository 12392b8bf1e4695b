package netkit.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.felix.service.command.Descriptor;
import org.junit.jupiter.api.Test;

/**
 * {@code help netkit} (the banner advertises it): Gogo's {@code help NAME} prints the descriptor of
 * the command named NAME, so {@code netkit:netkit}'s descriptor is the list; it must name every
 * command function this bundle registers (read from the component descriptions bnd generated).
 */
class HelpCommandTest {
    @Test
    void theListNamesEveryCommand() throws Exception {
        Set<String> functions = new TreeSet<>();
        Pattern property = Pattern.compile("name=\"osgi.command.function\"[^>]*?(?:value=\"([^\"]*)\"\\s*/>|>([^<]*)<)");
        try (Stream<Path> files = Files.list(Path.of("target/classes/OSGI-INF"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Matcher m = property.matcher(Files.readString(f));
                while (m.find()) {
                    String v = m.group(1) != null ? m.group(1) : m.group(2);
                    for (String name : v.trim().split("\\s+")) {
                        functions.add(name);
                    }
                }
            }
        }
        assertTrue(functions.containsAll(Set.of("ping", "netstat", "traceroute", "netkit", "ifconfig")), functions.toString());
        Set<String> listed = new TreeSet<>();
        for (String line : HelpCommand.LIST.split("\n")) {
            if (line.startsWith("  ")) {
                listed.add(line.trim().split("\\s+")[0]);
            }
        }
        assertEquals(functions, listed);
        String descriptor = HelpCommand.class.getMethod("netkit", String[].class).getAnnotation(Descriptor.class)
                .value();
        assertEquals(HelpCommand.LIST, descriptor);
        assertEquals(HelpCommand.LIST + "\n", new HelpCommand().netkit());
    }
}
