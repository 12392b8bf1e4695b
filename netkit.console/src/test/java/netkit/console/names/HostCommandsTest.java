package netkit.console.names;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import netkit.api.SockAddr;
import netkit.api.netdb.HostEntry;
import netkit.api.netdb.HostError;
import netkit.api.netdb.NetDb;
import netkit.api.netdb.NetDbException;
import netkit.api.netdb.ResolverConfiguration;
import netkit.api.netdb.ResolverCounter;
import netkit.api.netdb.ServiceEntry;
import netkit.api.stats.CounterSnapshot;
import netkit.console.PingCommand;
import org.junit.jupiter.api.Test;

/** netkit:host and netkit:nslookup output, and host names in ping/send arguments. */
class HostCommandsTest {
    private static final int WEB = SockAddr.parseAddress("192.0.2.80");

    /** www.example -> web.example -> lb.example = 192.0.2.80; 192.0.2.80 -> lb.example; the rest NXDOMAIN. */
    static final NetDb FAKE = new NetDb() {
        @Override
        public HostEntry gethostbyname(String name) throws NetDbException {
            if (name.equals("www.example")) {
                return new HostEntry("lb.example", List.of("www.example", "web.example"), List.of(WEB));
            }
            if (name.equals("slow.example")) {
                throw new NetDbException(HostError.TRY_AGAIN, "timed out");
            }
            throw new NetDbException(HostError.HOST_NOT_FOUND, "no such name");
        }

        @Override
        public HostEntry gethostbyaddr(int address) throws NetDbException {
            if (address == WEB) {
                return new HostEntry("lb.example", List.of(), List.of(WEB));
            }
            throw new NetDbException(HostError.HOST_NOT_FOUND, "no such name");
        }

        @Override
        public String gethostname() {
            return "box";
        }

        @Override
        public void sethostname(String name) {
        }

        @Override
        public Optional<ServiceEntry> getservbyname(String name, String protocol) {
            return Optional.empty();
        }

        @Override
        public Optional<ServiceEntry> getservbyport(int port, String protocol) {
            return Optional.empty();
        }

        @Override
        public ResolverConfiguration configuration() {
            return new ResolverConfiguration("effective", List.of(SockAddr.parseAddress("10.0.0.53")), List.of());
        }

        @Override
        public CounterSnapshot<ResolverCounter> statistics() {
            return null;
        }
    };

    @Test
    void hostPrintsAliasesAndAddressesAsLinuxHostDoes() throws Exception {
        HostCommands c = new HostCommands(FAKE);
        assertEquals("""
                www.example is an alias for web.example.
                web.example is an alias for lb.example.
                lb.example has address 192.0.2.80
                """, c.host("www.example"));
        assertEquals("80.2.0.192.in-addr.arpa domain name pointer lb.example.\n", c.host("192.0.2.80"));
        NetDbException e = assertThrows(NetDbException.class, () -> c.host("nosuch.example"));
        assertEquals("Host nosuch.example not found: 3(NXDOMAIN)", e.getMessage());
        assertEquals("Host slow.example not found: 2(SERVFAIL)",
                assertThrows(NetDbException.class, () -> c.host("slow.example")).getMessage());
    }

    @Test
    void nslookupPrintsTheServerAndTheAnswer() throws Exception {
        assertEquals("""
                Server:\t\t10.0.0.53
                Address:\t10.0.0.53#53

                www.example\tcanonical name = web.example.
                web.example\tcanonical name = lb.example.
                Name:\tlb.example
                Address: 192.0.2.80
                """, new HostCommands(FAKE).nslookup("www.example"));
        assertEquals("** server can't find nosuch: NXDOMAIN",
                assertThrows(NetDbException.class, () -> new HostCommands(FAKE).nslookup("nosuch")).getMessage());
    }

    @Test
    void hostNamesNeedAResolver() {
        assertEquals(WEB, NameLookup.of(FAKE).address("www.example"));
        assertEquals(WEB, new NameLookup().address("192.0.2.80"));
        assertEquals("not an IPv4 address: 'www.example'",
                assertThrows(IllegalArgumentException.class, () -> new NameLookup().address("www.example"))
                        .getMessage());
        assertEquals("nosuch: Name or service not known",
                assertThrows(IllegalArgumentException.class, () -> NameLookup.of(FAKE).address("nosuch")).getMessage());
        assertEquals("slow.example: Temporary failure in name resolution",
                assertThrows(IllegalArgumentException.class, () -> NameLookup.of(FAKE).address("slow.example"))
                        .getMessage());
        assertEquals("ping: nosuch: Name or service not known", assertThrows(IllegalArgumentException.class,
                () -> new PingCommand(null, NameLookup.of(FAKE)).ping("-c", "1", "nosuch"))
                .getMessage());
    }
}
