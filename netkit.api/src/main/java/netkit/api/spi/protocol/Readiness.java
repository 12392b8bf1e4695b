package netkit.api.spi.protocol;

/** Bits of {@link ProtocolSocket#readiness()}, as {@code select} reads them. */
public final class Readiness {
    private Readiness() {
    }

    /** Data, end of stream, a pending connection or an error: a read will not block. */
    public static final int READ = 1;
    /** Buffer space, or a finished connect: a write will not block. */
    public static final int WRITE = 2;
    /** A pending error or urgent data. */
    public static final int EXCEPTION = 4;
}
