package netkit.webconsole;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import netkit.api.SockAddr;
import netkit.api.TcpInfo;
import netkit.api.admin.ArpEntry;
import netkit.api.admin.InterfaceStatus;
import netkit.api.admin.LinkCounters;
import netkit.api.admin.NetworkAdmin;
import netkit.api.admin.RouteEntry;
import netkit.api.admin.SocketStatus;
import netkit.api.stats.StackStatistics;
import netkit.api.wire.MacAddress;

/**
 * What the page polls every second ({@code data.json}): every stack's interfaces with counters,
 * routes, ARP cache, sockets with TCP internals, and protocol counters, all read through
 * {@link NetworkAdmin}. Counters are cumulative; the page turns them into rates.
 */
final class Snapshot {
    private Snapshot() {
    }

    static String json(List<NetworkAdmin> admins, Collection<String> drivers, boolean swap, long nowMillis) {
        Json j = new Json().beginObject();
        j.field("time", nowMillis);
        j.field("swap", swap);
        j.name("drivers").beginArray();
        drivers.forEach(j::value);
        j.endArray();
        j.name("stacks").beginArray();
        admins.stream().sorted(Comparator.comparing(NetworkAdmin::stackName)).forEach(a -> stack(j, a));
        j.endArray();
        return j.endObject().toString();
    }

    private static void stack(Json j, NetworkAdmin a) {
        j.beginObject().field("name", a.stackName());
        j.name("interfaces").beginArray();
        for (InterfaceStatus s : a.interfaces()) {
            j.beginObject().field("name", s.name()).field("driver", s.driver()).field("up", s.up())
                    .field("running", s.running()).field("linkPresent", s.linkPresent())
                    .field("lastError", s.lastError()).field("mac", s.mac() == 0 ? null : MacAddress.format(s.mac()))
                    .field("address", s.address() == 0 ? null : SockAddr.formatAddress(s.address()) + "/" + s.prefix())
                    .field("mtu", s.mtu()).field("dynamic", s.lease() != null);
            LinkCounters c = s.counters();
            j.name("counters").beginObject().field("rxPackets", c.rxPackets()).field("rxBytes", c.rxBytes())
                    .field("rxErrors", c.rxErrors()).field("rxDropped", c.rxDropped())
                    .field("txPackets", c.txPackets()).field("txBytes", c.txBytes()).field("txErrors", c.txErrors())
                    .field("txDropped", c.txDropped()).field("rxOverruns", c.rxOverruns()).endObject();
            j.endObject();
        }
        j.endArray();
        j.name("routes").beginArray();
        for (RouteEntry r : a.routes()) {
            j.beginObject().field("destination", r.prefix() == 0 ? "default"
                    : SockAddr.formatAddress(r.destination()) + "/" + r.prefix())
                    .field("gateway", r.gateway() == 0 ? null : SockAddr.formatAddress(r.gateway()))
                    .field("iface", r.iface()).field("source", r.source() == 0 ? null : SockAddr.formatAddress(r.source()))
                    .field("origin", r.origin()).field("metric", r.metric()).endObject();
        }
        j.endArray();
        j.name("arp").beginArray();
        for (ArpEntry e : a.arp()) {
            j.beginObject().field("address", SockAddr.formatAddress(e.address()))
                    .field("mac", e.mac() == 0 ? null : MacAddress.format(e.mac())).field("iface", e.iface())
                    .field("state", e.state()).field("ageMillis", e.ageMillis()).field("queued", e.queued()).endObject();
        }
        j.endArray();
        j.name("sockets").beginArray();
        for (SocketStatus s : a.sockets()) {
            j.beginObject().field("token", s.token()).field("owner", s.owner()).field("protocol", s.protocol())
                    .field("local", address(s.local())).field("localAddress", SockAddr.formatAddress(s.local().address()))
                    .field("remote", address(s.remote())).field("state", s.state()).field("recvQ", s.recvQ())
                    .field("sendQ", s.sendQ()).field("details", details(s)).endObject();
        }
        j.endArray();
        StackStatistics st = a.statistics();
        j.name("counters").beginObject();
        j.name("ip").beginObject();
        st.ip().byName().forEach(j::field);
        j.endObject().name("arp").beginObject();
        st.arp().byName().forEach(j::field);
        j.endObject().name("icmp").beginObject();
        st.icmp().byName().forEach(j::field);
        j.endObject().name("udp").beginObject();
        st.udp().byName().forEach(j::field);
        j.endObject().name("tcp").beginObject();
        st.tcp().byName().forEach(j::field);
        j.endObject().endObject();
        j.endObject();
    }

    /**
     * A socket's internals for the page: a TCP connection's {@link TcpInfo} (the record
     * {@code netstat -e} prints) under the names the page reads ({@code srtt}, {@code cwnd},
     * {@code retrans}, and {@code bytes_acked}/{@code bytes_received} for its throughput chart),
     * then the protocol's own details.
     */
    static Map<String, String> details(SocketStatus s) {
        TcpInfo i = s.tcpInfo();
        if (i == null) {
            return s.details();
        }
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cc", i.congestionControl());
        m.put("srtt", String.format(Locale.ROOT, "%.3fms", i.rttMicros() / 1000.0));
        m.put("rto", String.format(Locale.ROOT, "%dms", i.rtoMicros() / 1000));
        m.put("cwnd", String.valueOf(i.sndCwndBytes()));
        if (i.sndSsthreshBytes() > 0 && i.sndSsthreshBytes() != Long.MAX_VALUE) {
            m.put("ssthresh", String.valueOf(i.sndSsthreshBytes()));
        }
        m.put("retrans", String.valueOf(i.totalRetrans()));
        m.put("mss", String.valueOf(i.sndMss()));
        m.put("snd_wnd", String.valueOf(i.sndWndBytes()));
        m.put("rcv_wnd", String.valueOf(i.rcvWndBytes()));
        m.put("bytes_acked", String.valueOf(i.bytesAcked()));
        m.put("bytes_received", String.valueOf(i.bytesReceived()));
        m.putAll(s.details());
        return m;
    }

    private static String address(SockAddr a) {
        return (a.address() == 0 ? "*" : SockAddr.formatAddress(a.address())) + ":" + (a.port() == 0 ? "*" : a.port());
    }
}
