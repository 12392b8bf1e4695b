package netkit.console.serve;

import java.util.Map;
import java.util.TreeMap;
import netkit.api.ErrnoException;
import netkit.api.SocketManager;
import netkit.console.Table;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/** {@code netkit:serve}: starts, lists and stops the small standard services. */
/* immediate: the services must outlive each command call (a delayed component is deactivated when unused). */
@Component(immediate = true, service = ServeCommands.class, property = {"osgi.command.scope=netkit", "osgi.command.function=serve"})
public final class ServeCommands {
    private final SocketManager sockets;
    private final Map<String, Service> services = new TreeMap<>();

    @Activate
    public ServeCommands(@Reference SocketManager sockets) {
        this.sockets = sockets;
    }

    @Deactivate
    synchronized void deactivate() throws InterruptedException {
        for (Service s : services.values()) {
            s.stop();
        }
        services.clear();
    }

    /** Starts a service. */
    @Descriptor("start a service: serve udp echo|discard PORT, serve tcp echo|discard|chargen|sink PORT")
    public synchronized String serve(@Descriptor("protocol: udp") String protocol,
            @Descriptor("echo or discard") String name, @Descriptor("port") int port) throws ErrnoException {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535");
        }
        String key = protocol + "/" + port;
        if (services.containsKey(key)) {
            throw new IllegalArgumentException(key + " is already served");
        }
        Service s;
        if (protocol.equals("udp") && (name.equals("echo") || name.equals("discard"))) {
            s = new DatagramService(sockets, name.equals("echo"), port);
        } else if (protocol.equals("tcp") && java.util.List.of("echo", "discard", "chargen", "sink").contains(name)) {
            s = new StreamService(sockets, name, port);
        } else {
            throw new IllegalArgumentException("unknown service '" + protocol + " " + name + "'");
        }
        s.start();
        services.put(key, s);
        return "serving " + protocol + " " + name + " on port " + port + "\n";
    }

    /** Stops the services on a port. */
    @Descriptor("stop services: serve stop PORT")
    public synchronized String serve(@Descriptor("stop") String op, @Descriptor("port") int port)
            throws InterruptedException {
        if (!op.equals("stop")) {
            throw new IllegalArgumentException("unknown serve operation '" + op + "'");
        }
        int n = 0;
        for (var it = services.entrySet().iterator(); it.hasNext();) {
            Service s = it.next().getValue();
            if (s.port == port) {
                s.stop();
                it.remove();
                n++;
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("nothing is served on port " + port);
        }
        return "stopped " + n + " service(s) on port " + port + "\n";
    }

    /** Lists the services. */
    @Descriptor("list services: serve list")
    public synchronized String serve(@Descriptor("list") String op) {
        if (!op.equals("list")) {
            throw new IllegalArgumentException("unknown serve operation '" + op + "'");
        }
        Table t = new Table("Proto", "Service", "Port", "Token", "Packets", "Bytes", "State", "Details");
        for (Service s : services.values()) {
            t.row(s.protocol, s.name, s.port, s.socket, s.packets.get(), s.bytes.get(), s.state(), s.details());
        }
        return t.toString();
    }
}
