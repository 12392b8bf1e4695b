package netkit.nio;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.spi.AbstractSelectionKey;

/** A channel's registration with a {@link NetkitSelector}. */
final class NetkitSelectionKey extends AbstractSelectionKey {
    private final SelectableChannel channel;
    private final NetkitSelector selector;
    private volatile int interestOps;
    private volatile int readyOps;
    volatile boolean queued; // in the selector's queue of keys to look at
    long lookedAt = -1; // the select round that last looked at it; selector thread only

    NetkitSelectionKey(SelectableChannel channel, NetkitSelector selector) {
        this.channel = channel;
        this.selector = selector;
    }

    @Override
    public SelectableChannel channel() {
        return channel;
    }

    @Override
    public NetkitSelector selector() {
        return selector;
    }

    NetkitChannel netkitChannel() {
        return (NetkitChannel) channel;
    }

    @Override
    public int interestOps() {
        ensureValid();
        return interestOps;
    }

    @Override
    public SelectionKey interestOps(int ops) {
        ensureValid();
        if ((ops & ~channel.validOps()) != 0) {
            throw new IllegalArgumentException("ops " + ops + " not valid for " + channel);
        }
        interestOps = ops;
        selector.changed(this); // already ready for the new interest: no rise will tell
        return this;
    }

    int interest() {
        return interestOps;
    }

    @Override
    public int readyOps() {
        ensureValid();
        return readyOps;
    }

    void readyOps(int ops) {
        readyOps = ops;
    }

    private void ensureValid() {
        if (!isValid()) {
            throw new CancelledKeyException();
        }
    }

    @Override
    public String toString() {
        return "NetkitSelectionKey[" + channel + (isValid() ? ", interest " + interestOps + ", ready " + readyOps : ", cancelled") + "]";
    }
}
