package netkit.nio;

import java.io.IOException;
import java.net.SocketOption;
import java.nio.channels.NetworkChannel;
import java.util.Set;

/**
 * What the selector needs of a netkit channel: its socket and its readiness in NIO terms; and the
 * option reads every channel answers the same way, through its socket (each channel still declares
 * {@code setOption}, whose return type is its own class).
 */
interface NetkitChannel extends NetworkChannel {
    /** The channel's socket (token, manager, keys, options). */
    ChannelSocket netkitSocket();

    /**
     * The ready operations ({@code SelectionKey.OP_*}) that netkit readiness bits mean for this
     * channel now, before masking with the interest set.
     */
    int readyOps(int readiness);

    @Override
    default <T> T getOption(SocketOption<T> name) throws IOException {
        return netkitSocket().getOption(name);
    }

    @Override
    default Set<SocketOption<?>> supportedOptions() {
        return netkitSocket().options;
    }
}
