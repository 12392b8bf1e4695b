package netkit.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import netkit.api.netdb.ServiceEntry;

/**
 * The services table ({@code getservbyname}, {@code getservbyport}; the Unix socket FAQ's II.3 and
 * IV.11): the configured entries first, then a built-in subset of Debian's {@code /etc/services}
 * (IANA's registry, RFC 6335). Names compare without case.
 */
public final class ServicesTable {
    /** The built-in entries: {@code NAME PORT/PROTOCOL [ALIAS...]}, as in /etc/services. */
    static final List<String> BUILT_IN = List.of(
            "echo 7/tcp", "echo 7/udp", "discard 9/tcp sink null", "discard 9/udp sink null",
            "daytime 13/tcp", "daytime 13/udp", "chargen 19/tcp ttytst source", "chargen 19/udp ttytst source",
            "ftp-data 20/tcp", "ftp 21/tcp", "ssh 22/tcp", "telnet 23/tcp", "smtp 25/tcp mail",
            "time 37/tcp timserver", "time 37/udp timserver", "domain 53/tcp", "domain 53/udp",
            "bootps 67/udp", "bootpc 68/udp", "tftp 69/udp", "http 80/tcp www", "pop3 110/tcp pop-3",
            "sunrpc 111/tcp portmapper", "sunrpc 111/udp portmapper", "ntp 123/udp", "imap2 143/tcp imap",
            "snmp 161/tcp", "snmp 161/udp", "snmp-trap 162/udp snmptrap", "ldap 389/tcp", "https 443/tcp",
            "syslog 514/udp", "submission 587/tcp", "imaps 993/tcp", "pop3s 995/tcp", "mqtt 1883/tcp",
            "http-alt 8080/tcp webcache");
    private static final List<ServiceEntry> DEFAULTS = BUILT_IN.stream().map(ServicesTable::parse).toList();

    private final List<ServiceEntry> entries;

    /** @param configured entries that come before the built-in ones */
    public ServicesTable(List<ServiceEntry> configured) {
        List<ServiceEntry> all = new ArrayList<>(configured);
        all.addAll(DEFAULTS);
        this.entries = List.copyOf(all);
    }

    /**
     * Parses {@code "NAME PORT/PROTOCOL [ALIAS...]"} (PROTOCOL {@code tcp} or {@code udp}).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static ServiceEntry parse(String line) {
        String[] f = line.trim().split("\\s+");
        String usage = "services entry '" + line + "' is not 'NAME PORT/PROTOCOL [ALIAS...]'";
        if (f.length < 2) {
            throw new IllegalArgumentException(usage);
        }
        int slash = f[1].indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException(usage);
        }
        int port;
        try {
            port = Integer.parseInt(f[1].substring(0, slash));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(usage);
        }
        String protocol = f[1].substring(slash + 1);
        if (port < 0 || port > 0xffff || !(protocol.equals("tcp") || protocol.equals("udp"))) {
            throw new IllegalArgumentException(usage + ": port 0..65535, protocol tcp or udp");
        }
        for (int i = 0; i < f.length; i++) {
            if (i != 1 && !f[i].matches("[A-Za-z0-9][A-Za-z0-9_.+-]*")) {
                throw new IllegalArgumentException(usage + ": '" + f[i] + "' is not a service name");
            }
        }
        return new ServiceEntry(f[0], List.of(f).subList(2, f.length), port, protocol);
    }

    /** The first entry named (or aliased) {@code name} for {@code protocol} (null: either). */
    public Optional<ServiceEntry> byName(String name, String protocol) {
        return entries.stream().filter(e -> protocol == null || e.protocol().equals(protocol))
                .filter(e -> e.name().equalsIgnoreCase(name)
                        || e.aliases().stream().anyMatch(a -> a.equalsIgnoreCase(name)))
                .findFirst();
    }

    /** The first entry for {@code port} and {@code protocol} (null: either). */
    public Optional<ServiceEntry> byPort(int port, String protocol) {
        return entries.stream().filter(e -> protocol == null || e.protocol().equals(protocol))
                .filter(e -> e.port() == port).findFirst();
    }
}
