package netkit.dns;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import netkit.api.ErrnoException;
import netkit.api.admin.InterfaceStatus;
import netkit.api.netdb.HostEntry;
import netkit.api.netdb.NetDbException;
import netkit.api.netdb.ResolverCounter;
import netkit.stack.Stack;
import netkit.stack.testing.BlockingCall;
import netkit.stack.testing.TestNet;
import netkit.tcp.TcpProtocol;
import netkit.udp.UdpProtocol;

/**
 * Three stacks on the simulated wire: the resolver on s0 (10.0.0.1), scripted name servers on s1
 * (10.0.0.2) and s2 (10.0.0.3). Lookups run on their own thread while the test thread moves
 * simulated time a millisecond at a time and lets the servers answer between steps.
 */
final class ResolverNet {
    static final int S1 = TestNet.address(1);
    static final int S2 = TestNet.address(2);
    final TestNet net = new TestNet(3);
    final DnsServer s1;
    final DnsServer s2;
    final Resolver resolver;

    ResolverNet(ResolverSettings settings) throws ErrnoException {
        for (Stack s : net.stacks) {
            s.addProtocol(new UdpProtocol());
            s.addProtocol(new TcpProtocol());
        }
        s1 = new DnsServer(net.stack(1));
        s2 = new DnsServer(net.stack(2));
        Stack client = net.stack(0);
        resolver = new Resolver(client.sockets("resolver"), net.loop::nanoTime, new Random(7),
                () -> client.admin().interfaces().stream()
                        .filter(i -> i.address() != 0 && i.linkKind() != InterfaceStatus.LinkKind.LOOPBACK)
                        .map(InterfaceStatus::address).toList(),
                "s0", settings);
    }

    /** Settings with both servers, 1 s per try, 2 attempts. */
    static ResolverSettings.Builder twoServers() {
        return ResolverSettings.builder().nameServers(List.of(S1, S2)).timeoutMillis(1000).attempts(2);
    }

    long now() {
        return net.loop.nanoTime();
    }

    long counter(ResolverCounter c) {
        return resolver.statistics().get(c);
    }

    /** A lookup on its own thread, driven to its end; the NetDbException is returned, not thrown. */
    Object drive(BlockingCall.Call<Object> call) throws ErrnoException {
        BlockingCall<Object> c = BlockingCall.start(net.stack(0), call);
        for (int i = 0; i < 600_000; i++) {
            if (c.settle()) {
                return c.join();
            }
            s1.poll();
            s2.poll();
            net.run(Duration.ofMillis(1));
        }
        throw new AssertionError("the lookup did not end in 600 simulated seconds");
    }

    HostEntry byName(String name) throws Exception {
        Object r = drive(() -> {
            try {
                return resolver.gethostbyname(name);
            } catch (NetDbException e) {
                return e;
            }
        });
        if (r instanceof NetDbException e) {
            throw e;
        }
        return (HostEntry) r;
    }

    HostEntry byAddress(int address) throws Exception {
        Object r = drive(() -> {
            try {
                return resolver.gethostbyaddr(address);
            } catch (NetDbException e) {
                return e;
            }
        });
        if (r instanceof NetDbException e) {
            throw e;
        }
        return (HostEntry) r;
    }

    /** The failure of a lookup that must fail. */
    NetDbException failure(String name) throws Exception {
        try {
            HostEntry h = byName(name);
            throw new AssertionError(name + " resolved to " + h);
        } catch (NetDbException e) {
            return e;
        }
    }
}
