package netkit.nio;

/** What the selector needs of a netkit channel: its socket and its readiness in NIO terms. */
interface NetkitChannel {
    /** The channel's socket (token, manager, keys). */
    ChannelSocket netkitSocket();

    /**
     * The ready operations ({@code SelectionKey.OP_*}) that netkit readiness bits mean for this
     * channel now, before masking with the interest set.
     */
    int readyOps(int readiness);
}
