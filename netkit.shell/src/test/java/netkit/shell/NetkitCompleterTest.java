package netkit.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Completion of the netkit commands' arguments, and the piped shell's {@code exit} (#14). */
class NetkitCompleterTest {
    private final NetkitCompleter completer = new NetkitCompleter(() -> List.of("netkit:ping", "ping", "help"),
            new NetkitCompleter.Data() {
                @Override
                public Collection<String> interfaces() {
                    return List.of("eth0", "lo0");
                }

                @Override
                public Collection<String> drivers() {
                    return List.of("loopback", "vxlan", "wire");
                }

                @Override
                public Collection<String> ports() {
                    return List.of("7", "9000");
                }
            });

    private List<String> at(String... words) {
        return completer.candidates(List.of(words), words.length - 1);
    }

    @Test
    void interfacesDriversPortsAndKeywords() {
        assertEquals(List.of("netkit:ping", "ping", "help"), at(""));
        assertEquals(List.of("eth0", "lo0"), at("netkit:ifconfig", ""));
        assertEquals(List.of("loopback", "vxlan", "wire"), at("ifconfig", "eth0", "driver", ""));
        assertTrue(at("ifconfig", "eth0", "").contains("mtu"));
        assertEquals(List.of(), at("ifconfig", "eth0", "mtu", ""), "a number comes next");
        assertEquals(List.of("eth0", "lo0"), at("link", "swap", ""));
        assertEquals(List.of("loopback", "vxlan", "wire"), at("link", "add", "vx0", ""));
        assertEquals(List.of("eth0", "lo0"), at("capture", "start", ""));
        assertEquals(List.of("eth0", "lo0"), at("arp", "flush", ""));
        assertEquals(List.of("eth0", "lo0"), at("route", "add", "default", "via", "10.0.0.1", "dev", ""));
        assertEquals(List.of("7", "9000"), at("netkit:serve", "stop", ""));
        assertEquals(List.of("echo", "discard", "chargen", "sink"), at("serve", "tcp", ""));
        assertTrue(at("netstat", "").containsAll(List.of("-s", "-t", "-u", "-l", "-n", "--tsv")));
        assertTrue(at("help", "").contains("netkit"));
    }

    @Test
    void exitInPipedInput() {
        assertEquals(0, NetkitShell.exitStatus("exit", 0));
        assertEquals(1, NetkitShell.exitStatus("  exit ", 1), "the status so far");
        assertEquals(3, NetkitShell.exitStatus("exit 3", 0));
        assertEquals(0, NetkitShell.exitStatus("quit", 0));
        assertNull(NetkitShell.exitStatus("netkit:ifconfig", 0));
        assertNull(NetkitShell.exitStatus("exit now please", 0));
        assertEquals("ping", NetkitShell.commandName("netkit:ping -c1 x"));
        assertEquals("ping", NetkitShell.commandName(" ping -c1 x"));
    }
}
