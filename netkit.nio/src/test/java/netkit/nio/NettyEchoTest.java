package netkit.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Netty's NIO transport on netkit: an echo server and clients, each side a Netty event loop group
 * whose selectors and channels come from a {@link NetkitSelectorProvider} of its own stack; two
 * stacks on the in-JVM wire in real time. Every byte compared by SHA-256.
 */
class NettyEchoTest {

    @Test
    @SuppressWarnings("deprecation") // NioEventLoopGroup: Netty 4.2 prefers MultiThreadIoEventLoopGroup, same provider
    void nettyEchoesOverNetkit() throws Exception {
        int connections = 4;
        int size = Integer.getInteger("netty.size", 1 << 19);
        try (RealNet net = new RealNet()) {
            NetkitSelectorProvider serverProvider = net.provider(1, "netty-server");
            NetkitSelectorProvider clientProvider = net.provider(0, "netty-client");
            EventLoopGroup boss = new NioEventLoopGroup(1, (Executor) null, serverProvider);
            EventLoopGroup workers = new NioEventLoopGroup(2, (Executor) null, serverProvider);
            EventLoopGroup clients = new NioEventLoopGroup(2, (Executor) null, clientProvider);
            try {
                Channel server = new ServerBootstrap().group(boss, workers)
                        .channelFactory(() -> new NioServerSocketChannel(serverProvider))
                        .childHandler(new ChannelInitializer<Channel>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        ctx.write(msg);
                                    }

                                    @Override
                                    public void channelReadComplete(ChannelHandlerContext ctx) {
                                        ctx.flush();
                                    }
                                });
                            }
                        }).bind(RealNet.address(1, 8007)).sync().channel();
                Random r = new Random(8007);
                long start = System.nanoTime();
                List<CompletableFuture<byte[]>> echoes = new ArrayList<>();
                List<byte[]> sent = new ArrayList<>();
                for (int i = 0; i < connections; i++) {
                    byte[] data = new byte[size];
                    r.nextBytes(data);
                    sent.add(data);
                    CompletableFuture<byte[]> echo = new CompletableFuture<>();
                    echoes.add(echo);
                    new Bootstrap().group(clients).channelFactory(() -> new NioSocketChannel(clientProvider))
                            .option(ChannelOption.TCP_NODELAY, true)
                            .handler(new ChannelInitializer<Channel>() {
                                @Override
                                protected void initChannel(Channel ch) {
                                    ch.pipeline().addLast(new Collector(data, echo));
                                }
                            }).connect(RealNet.address(1, 8007)).sync();
                }
                for (int i = 0; i < connections; i++) {
                    byte[] back = echoes.get(i).get(60, TimeUnit.SECONDS);
                    assertEquals(size, back.length);
                    assertArrayEquals(sha256(sent.get(i)), sha256(back), "connection " + i);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("Netty echo on netkit NIO, two stacks on the in-JVM wire: %d x %d B echoed in %.2f s"
                        + " = %.1f MB/s moved%n", connections, size, seconds, 2.0 * connections * size / 1e6 / seconds);
                server.close().sync();
            } finally {
                clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
                workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
                boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            }
        }
    }

    /** Sends {@code data} when active; completes with everything echoed once it has as many bytes. */
    private static final class Collector extends ChannelInboundHandlerAdapter {
        private final byte[] data;
        private final CompletableFuture<byte[]> done;
        private final java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();

        Collector(byte[] data, CompletableFuture<byte[]> done) {
            this.data = data;
            this.done = done;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(data));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            byte[] chunk = new byte[b.readableBytes()];
            b.readBytes(chunk);
            b.release();
            got.writeBytes(chunk);
            if (got.size() >= data.length) {
                done.complete(got.toByteArray());
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
            ctx.close();
        }
    }

    private static byte[] sha256(byte[] d) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(d);
    }
}
