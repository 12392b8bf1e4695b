package netkit.console.serve;

import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.RecvInfo;
import netkit.api.SockAddr;
import netkit.api.SocketManager;

/** UDP echo (RFC 862: send back every datagram) or discard (RFC 863: drop it). */
final class DatagramService extends Service {
    private final boolean echo;

    DatagramService(SocketManager sockets, boolean echo, int port) {
        super(sockets, "udp", echo ? "echo" : "discard", port);
        this.echo = echo;
    }

    @Override
    int open() throws ErrnoException {
        int s = sockets.socket(Net.AF_INET, Net.SOCK_DGRAM, Net.IPPROTO_UDP);
        try {
            sockets.bind(s, SockAddr.of(Net.INADDR_ANY, port));
        } catch (ErrnoException e) {
            closeQuietly(s);
            throw e;
        }
        return s;
    }

    @Override
    void serve() throws ErrnoException {
        byte[] buf = new byte[65536];
        RecvInfo from = new RecvInfo();
        int socket = this.socket;
        while (true) {
            int n = sockets.recvfrom(socket, buf, 0, buf.length, 0, from);
            packets.incrementAndGet();
            bytes.addAndGet(n);
            if (echo) {
                sockets.sendto(socket, buf, 0, n, 0, from.from());
            }
        }
    }
}
