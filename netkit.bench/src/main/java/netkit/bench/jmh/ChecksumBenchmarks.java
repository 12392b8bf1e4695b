package netkit.bench.jmh;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import netkit.api.wire.Checksum;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Internet checksum of one segment (#13): {@link Checksum#add} over a TCP header and payload as a
 * 1500-MTU frame holds it (at offset 34, after the Ethernet and IPv4 headers), beside the loop it
 * replaced (one accumulator, 8 bytes per step) as the baseline in the same run. Run with
 * {@code java -cp ... org.openjdk.jmh.Main ChecksumBenchmarks}.
 */
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ChecksumBenchmarks {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    /** Bytes summed: a 1460-byte payload, or with its 20-byte TCP header. */
    @Param({"1460", "1480"})
    public int length;

    /** Where they start in the frame. */
    @Param({"34"})
    public int offset;

    private final byte[] frame = new byte[1514];

    /** Random frame contents. */
    public ChecksumBenchmarks() {
        new Random(1071).nextBytes(frame);
    }

    /** The checksum as the stack computes it. */
    @Benchmark
    public long add() {
        return Checksum.add(0, frame, offset, length);
    }

    /** The loop before #13's unrolling: one accumulator, a serial chain of additions. */
    @Benchmark
    public long oneAccumulator() {
        return oneAccumulator(0, frame, offset, length);
    }

    static long oneAccumulator(long sum, byte[] b, int off, int len) {
        long s = 0;
        while (len >= 8) {
            long v = (long) LONG.get(b, off);
            s += (v >>> 32) + (v & 0xffffffffL);
            off += 8;
            len -= 8;
        }
        if (len > 0) {
            long tail = 0;
            for (int i = 0; i < len; i++) {
                tail |= (long) (b[off + i] & 0xff) << 8 * i;
            }
            s += (tail >>> 32) + (tail & 0xffffffffL);
        }
        s = (s & 0xffffffffL) + (s >>> 32);
        s = (s & 0xffffffffL) + (s >>> 32);
        s = (s & 0xffff) + (s >>> 16);
        s = (s & 0xffff) + (s >>> 16);
        s = (s & 0xffff) + (s >>> 16);
        return sum + (Integer.reverseBytes((int) s) >>> 16);
    }
}
