package netkit.stack.testing;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import netkit.api.SockAddr;
import netkit.api.time.SimulatedLoop;
import netkit.link.loopback.LoopbackDriver;
import netkit.link.wire.WireDriver;
import netkit.link.wire.WireHub;
import netkit.stack.Stack;
import netkit.stack.StackSettings;
import netkit.stack.iface.InterfaceConfig;

/**
 * Stacks on one simulated loop, each with lo0 and eth0 = 10.0.0.(i+1)/24 on wire segment "lan", and
 * with {@linkplain #deterministicSecrets fixed secrets} so that every run replays exactly.
 */
public final class TestNet {
    public final SimulatedLoop loop = new SimulatedLoop();
    public final WireHub hub = new WireHub(loop);
    public final WireDriver wire = new WireDriver(hub);
    public final LoopbackDriver loopback = new LoopbackDriver();
    public final List<Stack> stacks = new ArrayList<>();

    public TestNet(int n) {
        this(n, StackSettings.defaults(), 1500);
    }

    public TestNet(int n, StackSettings settings, int mtu) {
        for (int i = 0; i < n; i++) {
            Stack s = new Stack("s" + i, loop, settings, 1000 + i, deterministicSecrets(2000 + i));
            s.addDriver(loopback);
            s.addDriver(wire);
            s.configure(InterfaceConfig.of("lo0", "loopback", SockAddr.parseAddress("127.0.0.1"), 8));
            s.configure(new InterfaceConfig("eth0", "wire", address(i), 24, mtu, 0, 0x020000000100L + i, true,
                    Map.of("segment", "lan")));
            stacks.add(s);
        }
        loop.runUntilIdle();
    }

    /**
     * A "secure" random source whose output is fixed by {@code seed}, for tests that must replay
     * exactly: SHA1PRNG seeded before its first use draws only from that seed. Never for real use.
     */
    public static SecureRandom deterministicSecrets(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA1PRNG is part of every JDK", e);
        }
    }

    /** 10.0.0.(i+1). */
    public static int address(int i) {
        return 0x0a000001 + i;
    }

    public Stack stack(int i) {
        return stacks.get(i);
    }

    public void run(Duration d) {
        loop.advance(d);
    }
}
