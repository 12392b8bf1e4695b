package netkit.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import netkit.api.SockAddr;
import netkit.api.netdb.HostEntry;
import netkit.api.netdb.HostError;
import netkit.api.netdb.NetDb;
import netkit.api.netdb.NetDbException;
import netkit.api.netdb.ResolverConfiguration;
import netkit.api.netdb.ResolverCounter;
import netkit.api.netdb.ServiceEntry;
import netkit.api.stats.CounterSnapshot;
import netkit.compat.testing.TwoHosts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Host names given to the socket factory go to netkit's NetDb when it has one (#16). */
@Timeout(60)
class SocketFactoryNamesTest {
    private static TwoHosts net;
    private static final List<String> asked = new ArrayList<>();

    /** Knows one name, b.netkit.test, for host B of the test network; records every question. */
    private static final NetDb NAMES = new NetDb() {
        @Override
        public synchronized HostEntry gethostbyname(String name) throws NetDbException {
            asked.add(name);
            if (name.equals("b.netkit.test")) {
                return new HostEntry(name, List.of(), List.of(SockAddr.parseAddress(TwoHosts.B)));
            }
            throw new NetDbException(HostError.HOST_NOT_FOUND, "no such name");
        }

        @Override
        public HostEntry gethostbyaddr(int address) throws NetDbException {
            throw new NetDbException(HostError.HOST_NOT_FOUND, "no such name");
        }

        @Override
        public String gethostname() {
            return "a";
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
            return new ResolverConfiguration("test", List.of(), List.of());
        }

        @Override
        public CounterSnapshot<ResolverCounter> statistics() {
            return null;
        }
    };

    @BeforeAll
    static void up() throws Exception {
        net = new TwoHosts("names");
    }

    @AfterAll
    static void down() {
        net.close();
    }

    @Test
    void aNameIsResolvedByNetkitsNetDbAndKeptOnTheSocket() throws Exception {
        NetkitSocketFactory factory = new NetkitSocketFactory(net.a.sockets(), () -> NAMES);
        try (ServerSocket server = net.b.serverSocketFactory().createServerSocket(7100)) {
            CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept()) {
                    s.getOutputStream().write('x');
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Socket c = factory.createSocket("b.netkit.test", 7100)) {
                assertEquals('x', c.getInputStream().read());
                assertEquals("b.netkit.test", c.getInetAddress().getHostName(), "the name given stays with the address");
                assertEquals(TwoHosts.B, c.getInetAddress().getHostAddress());
            }
            accepted.get(10, TimeUnit.SECONDS);
        }
        assertTrue(asked.contains("b.netkit.test"));
    }

    @Test
    void anUnknownNameIsUnknownHostExceptionWithoutAskingTheJvm() {
        NetkitSocketFactory factory = new NetkitSocketFactory(net.a.sockets(), () -> NAMES);
        UnknownHostException e = assertThrows(UnknownHostException.class,
                () -> factory.createSocket("nosuch.netkit.test", 7100));
        assertTrue(e.getMessage().startsWith("nosuch.netkit.test"), e.getMessage());
        assertTrue(asked.contains("nosuch.netkit.test"));
    }

    @Test
    void addressesAndAFactoryWithoutNetDbSkipIt() throws Exception {
        int before = asked.size();
        NetkitSocketFactory factory = new NetkitSocketFactory(net.a.sockets(), () -> null);
        assertThrows(UnknownHostException.class, () -> factory.createSocket("nosuch.invalid", 7100),
                "the JVM's resolver knows no .invalid name (RFC 6761)");
        NetkitSocketFactory withNames = new NetkitSocketFactory(net.a.sockets(), () -> NAMES);
        assertThrows(java.net.ConnectException.class, () -> withNames.createSocket(TwoHosts.B, 7199));
        assertEquals(before, asked.size(), "no question for an address literal, none without a NetDb");
    }
}
