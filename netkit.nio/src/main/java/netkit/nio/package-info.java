/**
 * NIO on netkit: {@link netkit.nio.NetkitSelectorProvider} opens {@link java.nio.channels.SocketChannel}s,
 * {@link java.nio.channels.ServerSocketChannel}s, {@link java.nio.channels.DatagramChannel}s and
 * {@link java.nio.channels.Selector}s on a netkit {@link netkit.api.SocketManager}, for code that takes
 * a {@link java.nio.channels.spi.SelectorProvider} (Netty's NIO transport, for one).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package netkit.nio;
