package netkit.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Allocation, CPU time and heap of this JVM, read through the platform MX beans. */
public final class Meters {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private Meters() {
    }

    /** Bytes allocated so far by the threads alive now (a thread that ended takes its count along). */
    public static long allocatedBytes() {
        long sum = 0;
        for (long b : THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())) {
            if (b > 0) {
                sum += b;
            }
        }
        return sum;
    }

    /** CPU time of the whole process so far, in nanoseconds. */
    public static long processCpuNanos() {
        return OS.getProcessCpuTime();
    }

    /** This process's limit on open file descriptors (a large number where the JVM cannot tell). */
    public static long maxFileDescriptors() {
        return OS instanceof com.sun.management.UnixOperatingSystemMXBean u ? u.getMaxFileDescriptorCount() : 1 << 20;
    }

    /** Heap in use after a few full collections. */
    public static long heapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
