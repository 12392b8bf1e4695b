package netkit.nio;

import java.util.concurrent.CopyOnWriteArrayList;
import netkit.api.ErrnoException;
import netkit.api.ReadinessListener;
import netkit.api.SocketManager;

/**
 * The selection keys of one channel, and the netkit readiness listener that tells their selectors
 * (set while the channel has keys). The listener runs on the stack's loop without its lock: it only
 * queues the key on its selector and wakes it.
 */
final class Registrations implements ReadinessListener {
    private final CopyOnWriteArrayList<NetkitSelectionKey> keys = new CopyOnWriteArrayList<>();

    void add(SocketManager sockets, int token, NetkitSelectionKey key) throws ErrnoException {
        boolean first = keys.isEmpty();
        keys.add(key);
        if (first) {
            sockets.readinessListener(token, this);
        }
    }

    void remove(SocketManager sockets, int token, NetkitSelectionKey key) {
        if (keys.remove(key) && keys.isEmpty()) {
            try {
                sockets.readinessListener(token, null);
            } catch (ErrnoException e) {
                // closed already: closing removed the listener
            }
        }
    }

    @Override
    public void ready(int socket, int readiness) {
        for (NetkitSelectionKey k : keys) {
            k.selector().changed(k);
        }
    }
}
