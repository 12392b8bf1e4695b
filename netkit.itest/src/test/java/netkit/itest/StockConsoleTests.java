package netkit.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import netkit.api.SocketManager;
import netkit.api.admin.NetworkAdmin;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;

/**
 * What must work in any container's own console: every bundle resolves and starts (the command
 * bundle imports no JLine), and ping and a TCP echo run through the container's command processor.
 */
abstract class StockConsoleTests extends FrameworkTestSupport {
    @Test
    public void everyBundleStarts() throws Exception {
        service(SocketManager.class);
        for (Bundle b : context().getBundles()) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                assertEquals(b.getSymbolicName() + " active", Bundle.ACTIVE, b.getState());
            }
        }
        assertEquals(Bundle.ACTIVE, bundle("netkit.console").getState());
    }

    @Test
    public void pingAndTcpEchoThroughTheConsole() throws Exception {
        NetworkAdmin admin = service(NetworkAdmin.class);
        await("lo0", () -> admin.interfaces().stream().anyMatch(i -> i.name().equals("lo0") && i.running()));
        await("netkit commands", () -> consoleOrEmpty("netkit:route").contains("127.0.0.0/8"));
        String ping = console("netkit:ping -c 2 -i 0.2 127.0.0.1");
        assertTrue(ping, ping.contains("2 packets transmitted, 2 received, 0% packet loss"));
        console("netkit:serve tcp echo 7007");
        String send = console("netkit:send --bytes 200000 tcp 127.0.0.1 7007");
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(?s)200000 bytes in .*sha256 (\\p{XDigit}{64}).*received 200000 bytes back, sha256 (\\p{XDigit}{64})")
                .matcher(send);
        assertTrue(send, m.find());
        assertEquals("the echo is what was sent", m.group(1), m.group(2));
        console("netkit:serve stop 7007");
    }

    /** The command that lists the netkit commands in this container's shell. */
    String helpNetkit() {
        return "help netkit";
    }

    /** {@code help netkit} lists the commands in the container's own shell, and results print as text (#14). */
    @Test
    public void helpNetkitAndResultObjects() throws Exception {
        await("netkit commands", () -> consoleOrEmpty("netkit:route").contains("127.0.0.0/8"));
        String help = console(helpNetkit());
        assertTrue(help, help.contains("traceroute") && help.contains("netstat") && help.contains("ifconfig"));
        String ping = console("netkit:ping -c1 -i0.2 127.0.0.1");
        assertTrue(ping, ping.contains("1 packets transmitted, 1 received, 0% packet loss"));
        assertEquals("1", console("r = (netkit:ping -c1 127.0.0.1) ; $r received").trim().replaceAll("(?s).*\\n", ""));
        String stats = console("netkit:netstat -s");
        assertTrue(stats, stats.contains("Icmp:\n") && stats.contains("        InType8: "));
        String tln = console("netkit:netstat -tuln");
        assertTrue(tln, tln.startsWith("Active Internet connections (only servers)\nProto  Recv-Q  Send-Q  Local Address"));
    }
}
