package netkit.console;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;

/**
 * {@code netkit:netkit}: the list of netkit commands. It is a command so that {@code help netkit},
 * which the console's banner advertises, works in every Gogo-based shell: Gogo's {@code help NAME}
 * (bundle {@code org.apache.felix.gogo.command}) prints the descriptor of the command named NAME,
 * and this descriptor is the list. Karaf's {@code help netkit} runs {@code netkit --help}, which
 * prints it. (Equinox's own {@code help} drops what Gogo's returns: there {@code felix:help netkit}
 * or {@code help -scope netkit}.)
 */
@Component(service = HelpCommand.class, property = {"osgi.command.scope=netkit", "osgi.command.function=netkit"})
public final class HelpCommand {
    /** One line per command function of this bundle (HelpCommandTest checks it against the registrations). */
    static final String LIST = """
            the netkit commands (help COMMAND for its options; scope netkit: netkit:ping or ping):
              ifconfig    show interfaces, ip addr style; create or change one: address, up/down, mtu, driver, dhcp
              link        list link drivers; add an interface on a driver; swap the driver under a live interface
              route       the routing table, ip route style; route add / route del
              arp         the ARP cache, ip neigh style; arp flush
              netstat     sockets (-t -u -l -a -n, -e internals), -s protocol counters, -i interfaces, -b per bundle
              nstat       the protocol counters one per line with Linux nstat's names (-z: zeros too)
              sysctl      show or set netkit's tunables as PID.property = value (-a all, -w set)
              ping        ICMP echo with Linux ping's output (-c count, -i interval, -W timeout, -s size, -t ttl, -R)
              traceroute  the hops to a host: UDP probes with growing TTL (-m hops, -q probes, -w wait, -n)
              host        look a name or address up, Linux host style
              nslookup    look a name or address up, nslookup style
              serve       echo/discard/chargen/sink services inside the runtime; serve list / serve stop
              send        a measured bulk TCP transfer with SHA-256 of what went and came back
              capture     every frame of an interface to a pcap file; capture list / capture stop
              netkit      this list""";

    /**
     * The list. Karaf's {@code help NAME} runs {@code NAME --help} and shows what it printed: given
     * {@code --help} the list is printed, not returned.
     */
    @Descriptor(LIST)
    public String netkit(@Descriptor("--help: print the list (what Karaf's help asks)") String... args) {
        if (java.util.Arrays.asList(args).contains("--help")) {
            System.out.println(LIST);
            return null;
        }
        return LIST + "\n";
    }
}
