package netkit.stack;

import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.locks.ReentrantLock;
import netkit.api.ErrnoException;
import netkit.api.buffer.PacketBuffer;
import netkit.api.buffer.PacketPool;
import netkit.api.spi.protocol.IpMeta;
import netkit.api.spi.protocol.Route;
import netkit.api.spi.protocol.StackContext;
import netkit.api.time.EventLoop;
import netkit.api.time.Timer;
import netkit.api.wire.IcmpHeader;
import netkit.stack.ip.IcmpErrorSender;
import netkit.stack.ip.Ipv4Output;
import netkit.stack.route.RouteResolver;
import netkit.stack.util.StackLoop;

/**
 * The stack side of the protocol SPI: what every attached protocol instance sees of its stack. Routing and output require the stack lock, which the protocols' socket calls
 * take and the loop holds while packets and timers run; this class never takes it for them.
 */
final class ProtocolContext implements StackContext {
    private final String name;
    private final StackLoop loop;
    private final PacketPool pool;
    private final Random random;
    private final SecureRandom secrets;
    private final RouteResolver routes;
    private final Ipv4Output ipOutput;
    private final IcmpErrorSender icmpErrors;
    private final Runnable readinessChanged;

    ProtocolContext(String name, StackLoop loop, PacketPool pool, Random random, SecureRandom secrets,
            RouteResolver routes, Ipv4Output ipOutput, IcmpErrorSender icmpErrors, Runnable readinessChanged) {
        this.name = name;
        this.loop = loop;
        this.pool = pool;
        this.random = random;
        this.secrets = secrets;
        this.routes = routes;
        this.ipOutput = ipOutput;
        this.icmpErrors = icmpErrors;
        this.readinessChanged = readinessChanged;
    }

    @Override
    public String stackName() {
        return name;
    }

    @Override
    public EventLoop loop() {
        return loop.loop();
    }

    @Override
    public ReentrantLock lock() {
        return loop.lock();
    }

    @Override
    public Timer schedule(long delayNanos, Runnable task) {
        return loop.schedule(delayNanos, task);
    }

    @Override
    public PacketPool pool() {
        return pool;
    }

    @Override
    public Random random() {
        return random;
    }

    @Override
    public SecureRandom secureRandom() {
        return secrets;
    }

    @Override
    public Route route(int destination, boolean onLinkOnly) throws ErrnoException {
        assert loop.lock().isHeldByCurrentThread() : "route() needs the stack lock";
        return routes.lookup(destination, onLinkOnly);
    }

    @Override
    public boolean isLocalAddress(int address) {
        return routes.isLocalAddress(address);
    }

    @Override
    public boolean isBroadcast(int address) {
        return routes.isBroadcast(address);
    }

    @Override
    public void output(PacketBuffer payload, Route route, int protocol, int ttl, int tos, boolean dontFragment)
            throws ErrnoException {
        assert loop.lock().isHeldByCurrentThread() : "output() needs the stack lock";
        ipOutput.send(payload, route, protocol, ttl, tos, dontFragment);
    }

    @Override
    public void output(PacketBuffer payload, Route route, int protocol, int ttl, int tos, boolean dontFragment,
            byte[] options) throws ErrnoException {
        assert loop.lock().isHeldByCurrentThread() : "output() needs the stack lock";
        ipOutput.send(payload, route, protocol, ttl, tos, dontFragment, options.clone());
    }

    @Override
    public void sendUnreachable(PacketBuffer offending, IpMeta ip, int code) {
        int end = offending.offset() + offending.length();
        icmpErrors.send(IcmpHeader.DEST_UNREACHABLE, code, 0, offending.array(), ip.headerOffset(),
                end - ip.headerOffset(), ip.broadcast());
    }

    @Override
    public void readinessChanged() {
        readinessChanged.run();
    }

    @Override
    public String toString() {
        return "Stack[" + name + "]";
    }
}
