package netkit.console;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The figures of one {@code netkit:send}: bytes and SHA-256 each way, time and rate. */
final class Transfer {
    private final MessageDigest sentDigest = sha256();
    private final MessageDigest receivedDigest = sha256();
    private long sent;
    private long received;
    private long start;
    private long end;
    /** Whether Ctrl-C (an interrupt) ended the transfer. */
    boolean interrupted;

    /** The clock starts (the connection is up). */
    void start() {
        start = System.nanoTime();
    }

    void sent(byte[] b, int off, int n) {
        sentDigest.update(b, off, n);
        sent += n;
    }

    void received(byte[] b, int n) {
        receivedDigest.update(b, 0, n);
        received += n;
    }

    /** The clock stops (the peer's FIN came). */
    void finish() {
        end = System.nanoTime();
    }

    /**
     * {@code N bytes in S s, R Gbit/s, sha256 H}, then {@code received M bytes back, sha256 H} when
     * anything came back; {@code (interrupted)} when Ctrl-C ended it.
     */
    String summary() {
        long stop = end != 0 ? end : System.nanoTime();
        double seconds = start == 0 ? 0 : (stop - start) / 1e9;
        StringBuilder sb = new StringBuilder(String.format("%d bytes in %.3f s, %.3f Gbit/s, sha256 %s%s%n", sent,
                seconds, seconds == 0 ? 0 : sent * 8 / seconds / 1e9, hex(sentDigest),
                interrupted ? " (interrupted)" : ""));
        if (received > 0) {
            sb.append(String.format("received %d bytes back, sha256 %s%n", received, hex(receivedDigest)));
        }
        return sb.toString();
    }

    private static String hex(MessageDigest d) {
        return HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
