package netkit.compat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import netkit.api.SocketManager;

/**
 * A {@link ServerSocket} over a netkit listener. {@link #accept} hands the JDK a fresh
 * {@link NetkitSocketImpl} for the connection ({@code implAccept} with a custom impl), because
 * {@code ServerSocket.accept} itself would ask the JVM-wide {@code SocketImplFactory} for one.
 */
final class NetkitServerSocket extends ServerSocket {
    private final SocketManager api;

    NetkitServerSocket(SocketManager api) {
        super(new NetkitSocketImpl(api, true));
        this.api = api;
    }

    @Override
    public Socket accept() throws IOException {
        if (isClosed()) {
            throw new SocketException("Socket is closed");
        }
        if (!isBound()) {
            throw new SocketException("Socket is not bound yet");
        }
        Socket s = new NetkitSocket(new NetkitSocketImpl(api, false));
        implAccept(s);
        return s;
    }
}
