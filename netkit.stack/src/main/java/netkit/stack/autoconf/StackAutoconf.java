package netkit.stack.autoconf;

import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.autoconf.ArpProbe;
import netkit.api.spi.autoconf.AutoconfSupport;
import netkit.api.spi.autoconf.InterfacePort;
import netkit.api.spi.link.Link;
import netkit.api.spi.protocol.Route;
import netkit.api.spi.protocol.StackContext;
import netkit.api.wire.UdpHeader;
import netkit.stack.arp.ArpCache;
import netkit.stack.iface.InterfaceLookup;
import netkit.stack.iface.NetInterface;

/** {@link AutoconfSupport} of one stack: interface-bound UDP ports and RFC 5227 probes. */
public final class StackAutoconf implements AutoconfSupport {
    private final StackContext context;
    private final InterfaceLookup interfaces;
    private final BoundPorts ports;
    private final ArpCache arp;

    /** Support over the stack's {@code context}, {@code interfaces}, bound {@code ports} and {@code arp} cache. */
    public StackAutoconf(StackContext context, InterfaceLookup interfaces, BoundPorts ports, ArpCache arp) {
        this.context = context;
        this.interfaces = interfaces;
        this.ports = ports;
        this.arp = arp;
    }

    @Override
    public StackContext context() {
        return context;
    }

    private NetInterface lookup(String name) throws ErrnoException {
        assert context.lock().isHeldByCurrentThread() : "needs the stack lock";
        NetInterface i = interfaces.get(name);
        if (i == null) {
            throw new ErrnoException(Errno.EADDRNOTAVAIL, "no interface " + name);
        }
        return i;
    }

    @Override
    public InterfacePort bind(String ifaceName, int port, DatagramHandler handler) throws ErrnoException {
        lookup(ifaceName);
        if (port <= 0 || port > 65535) {
            throw new ErrnoException(Errno.EINVAL, "port " + port);
        }
        if (!ports.bind(ifaceName, port, handler)) {
            throw new ErrnoException(Errno.EADDRINUSE, "port " + port + " is bound on " + ifaceName);
        }
        return new Port(ifaceName, port, handler);
    }

    @Override
    public ArpProbe probe(String ifaceName, int address, ConflictHandler handler) throws ErrnoException {
        lookup(ifaceName);
        ArpCache.Watch w = new ArpCache.Watch() {
            @Override
            public String iface() {
                return ifaceName;
            }

            @Override
            public int address() {
                return address;
            }

            @Override
            public void conflict(long mac) {
                handler.conflict(mac);
            }
        };
        arp.watch(w);
        return new ArpProbe() {
            @Override
            public void send() {
                NetInterface i = interfaces.get(ifaceName);
                if (i != null && i.running() && i.link().kind() == Link.Kind.ETHERNET) {
                    arp.probe(i, address);
                }
            }

            @Override
            public void close() {
                arp.unwatch(w);
            }
        };
    }

    private final class Port implements InterfacePort {
        private final String name;
        private final int port;
        private final DatagramHandler handler;

        Port(String name, int port, DatagramHandler handler) {
            this.name = name;
            this.port = port;
            this.handler = handler;
        }

        @Override
        public String iface() {
            return name;
        }

        @Override
        public long mac() {
            NetInterface i = interfaces.get(name);
            Link l = i == null ? null : i.link();
            return l == null ? 0 : l.mac();
        }

        @Override
        public void send(int source, int destination, int destinationPort, byte[] data, int offset, int length)
                throws ErrnoException {
            NetInterface i = lookup(name);
            if (!i.running()) {
                throw new ErrnoException(Errno.ENETDOWN, name + " is not running");
            }
            Route r;
            if (destination == Net.INADDR_BROADCAST) {
                r = new Route(destination, destination, source, name, i.mtu(), false, true);
            } else {
                Route found = context.route(destination, false);
                if (!found.iface().equals(name)) {
                    throw new ErrnoException(Errno.ENETUNREACH, "no route out of " + name);
                }
                r = new Route(destination, found.nextHop(), source, name, found.mtu(), false, found.broadcast());
            }
            if (UdpHeader.LEN + length > r.mtu() - 20) {
                throw new ErrnoException(Errno.EMSGSIZE, length + " bytes exceed the MTU of " + name);
            }
            PacketBuffer b = context.pool().acquire(UdpHeader.LEN + length);
            int at = b.append(UdpHeader.LEN + length);
            System.arraycopy(data, offset, b.array(), at + UdpHeader.LEN, length);
            UdpHeader.emit(b.array(), at, port, destinationPort, UdpHeader.LEN + length, source, destination, true);
            context.output(b, r, Net.IPPROTO_UDP, 64, 0, false);
        }

        @Override
        public void close() {
            ports.unbind(name, port, handler);
        }
    }
}
