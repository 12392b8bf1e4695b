package netkit.console.capture;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import netkit.api.ErrnoException;
import netkit.api.admin.InterfaceStatus;
import netkit.api.admin.NetworkAdmin;
import netkit.console.Table;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/** {@code netkit:capture}: every frame in and out of an interface to a pcap file. */
@Component(immediate = true, service = CaptureCommands.class, property = {"osgi.command.scope=netkit",
    "osgi.command.function=capture"})
public final class CaptureCommands {
    private record Capture(PcapWriter writer, Path file) {
    }

    private final NetworkAdmin admin;
    private final Map<String, Capture> captures = new TreeMap<>();

    @Activate
    public CaptureCommands(@Reference NetworkAdmin admin) {
        this.admin = admin;
    }

    @Deactivate
    synchronized void deactivate() {
        for (String iface : captures.keySet().toArray(new String[0])) {
            stopCapture(iface);
        }
    }

    /** Starts a capture. */
    @Descriptor("capture an interface to a pcap file: capture start IFACE FILE [-c count] [-s snaplen]")
    public synchronized String capture(@Descriptor("stop after this many frames") @Parameter(names = "-c",
            absentValue = "0") long count, @Descriptor("bytes kept per frame") @Parameter(names = "-s",
            absentValue = "65535") int snaplen, @Descriptor("start") String op, @Descriptor("interface") String iface,
            @Descriptor("pcap file") String file) throws IOException, ErrnoException {
        if (!op.equals("start")) {
            throw new IllegalArgumentException("unknown capture operation '" + op + "'");
        }
        InterfaceStatus status = admin.interfaces().stream().filter(i -> i.name().equals(iface)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no interface " + iface));
        int linkType = status.mac() == 0 ? PcapWriter.RAW : PcapWriter.ETHERNET;
        Path path = Path.of(file).toAbsolutePath();
        PcapWriter w = new PcapWriter(path, linkType, Math.max(64, snaplen), count);
        try {
            admin.attachTap(iface, w);
        } catch (ErrnoException e) {
            w.close();
            throw e;
        }
        captures.put(iface, new Capture(w, path));
        return "capturing " + iface + " to " + path + "\n";
    }

    /** Stops a capture, or lists them. */
    @Descriptor("capture stop IFACE | capture list")
    public synchronized String capture(@Descriptor("stop or list") String op, @Descriptor("interface") String... iface) {
        if (op.equals("list")) {
            Table t = new Table("Interface", "Frames", "File");
            captures.forEach((k, c) -> t.row(k, c.writer().frames(), c.file()));
            return t.toString();
        }
        if (!op.equals("stop") || iface.length != 1) {
            throw new IllegalArgumentException("capture stop IFACE | capture list");
        }
        Capture c = captures.get(iface[0]);
        if (c == null) {
            throw new IllegalArgumentException(iface[0] + " is not being captured");
        }
        long frames = stopCapture(iface[0]);
        return "stopped " + iface[0] + ": " + frames + " frames in " + c.file() + "\n";
    }

    private long stopCapture(String iface) {
        Capture c = captures.remove(iface);
        admin.detachTap(iface);
        try {
            c.writer().close();
        } catch (IOException ignored) {
            // the file is as complete as it can be
        }
        return c.writer().frames();
    }
}
