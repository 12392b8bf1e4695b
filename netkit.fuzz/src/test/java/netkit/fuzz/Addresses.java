package netkit.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

/** Source and destination addresses a fuzz input picks: s1's own, neighbours, broadcasts, martians. */
final class Addresses {
    private Addresses() {
    }

    /** A source: mostly the injector, sometimes a neighbour, an off-link host or a martian. */
    static int source(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 7)) {
            case 0, 1, 2, 3 -> FuzzNet.INJECTOR;
            case 4 -> 0x0a000000 | data.consumeInt(3, 254); // another host on the subnet
            case 5 -> 0xc0000200 | data.consumeInt(1, 254); // off-link (192.0.2.0/24, RFC 5737)
            case 6 -> data.pickValue(new int[] {FuzzNet.HOST, 0x7f000001, 0, 0xe0000001, 0xf0000001, -1,
                    0x0a0000ff}); // martians: own, loopback, 0/8, multicast, class E, broadcasts
            default -> data.consumeInt();
        };
    }

    /** A destination: mostly s1, sometimes a broadcast, another host or anything. */
    static int destination(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 7)) {
            case 0, 1, 2, 3, 4 -> FuzzNet.HOST;
            case 5 -> data.consumeBoolean() ? -1 : 0x0a0000ff; // limited and subnet broadcast
            case 6 -> data.pickValue(new int[] {FuzzNet.PEER, 0x7f000001, 0xe0000001, 0x0a000000});
            default -> data.consumeInt();
        };
    }
}
