package netkit.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.RecvInfo;
import netkit.api.SockAddr;
import netkit.api.SocketManager;

/**
 * The same few socket calls over netkit's {@link SocketManager} and over the kernel's sockets through
 * {@code java.net}, so each workload is written once and run on both.
 */
public final class Endpoints {
    private Endpoints() {
    }

    /** A connected stream. */
    public interface Conn extends AutoCloseable {
        void send(byte[] b, int off, int len) throws IOException;

        /** Bytes read, -1 at the peer's FIN. */
        int recv(byte[] b, int off, int len) throws IOException;

        void shutdownOutput() throws IOException;

        @Override
        void close() throws IOException;
    }

    /** A listening socket. */
    public interface Server extends AutoCloseable {
        Conn accept() throws IOException;

        @Override
        void close() throws IOException;
    }

    /** Where streams and datagrams are made: one side of a figure. */
    public interface Host extends AutoCloseable {
        Server listen(int port) throws IOException;

        Conn connect(int port) throws IOException;

        /** A datagram socket bound to {@code port} (0: any). */
        Datagrams datagrams(int port) throws IOException;

        @Override
        void close();
    }

    /** A datagram socket. */
    public interface Datagrams extends AutoCloseable {
        void sendTo(byte[] b, int len, int port) throws IOException;

        /** Length received; throws on timeout. */
        int receive(byte[] b) throws IOException;

        @Override
        void close();
    }

    static IOException io(ErrnoException e) {
        return new IOException(e.getMessage(), e);
    }

    /** The kernel's TCP/UDP over 127.0.0.1 through java.net. */
    public static final class Kernel implements Host {
        private static final InetAddress LO = InetAddress.getLoopbackAddress();

        @Override
        public Server listen(int port) throws IOException {
            ServerSocket ss = new ServerSocket();
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(LO, port), 4096);
            return new Server() {
                @Override
                public Conn accept() throws IOException {
                    return wrap(ss.accept());
                }

                @Override
                public void close() throws IOException {
                    ss.close();
                }
            };
        }

        @Override
        public Conn connect(int port) throws IOException {
            Socket s = new Socket(LO, port);
            s.setTcpNoDelay(true);
            return wrap(s);
        }

        private static Conn wrap(Socket s) throws IOException {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            return new Conn() {
                @Override
                public void send(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public int recv(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }

                @Override
                public void shutdownOutput() throws IOException {
                    s.shutdownOutput();
                }

                @Override
                public void close() throws IOException {
                    s.close();
                }
            };
        }

        @Override
        public Datagrams datagrams(int port) throws IOException {
            DatagramSocket d = new DatagramSocket(new InetSocketAddress(LO, port));
            d.setReceiveBufferSize(4 << 20);
            d.setSoTimeout(2000);
            return new Datagrams() {
                private final DatagramPacket in = new DatagramPacket(new byte[0], 0);

                @Override
                public void sendTo(byte[] b, int len, int to) throws IOException {
                    d.send(new DatagramPacket(b, len, LO, to));
                }

                @Override
                public int receive(byte[] b) throws IOException {
                    in.setData(b);
                    d.receive(in);
                    return in.getLength();
                }

                @Override
                public void close() {
                    d.close();
                }
            };
        }

        @Override
        public void close() {
        }
    }

    /** One netkit stack's sockets: a client or server side of {@link NetkitNet}. */
    public static final class Netkit implements Host {
        private final SocketManager api;
        private final int peer;
        private final int self;

        /** Sockets of {@code api}, bound to {@code self}, connecting to {@code peer}. */
        public Netkit(SocketManager api, int self, int peer) {
            this.api = api;
            this.self = self;
            this.peer = peer;
        }

        @Override
        public Server listen(int port) throws IOException {
            try {
                int s = api.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
                api.setsockopt(s, Net.SOL_SOCKET, Net.SO_REUSEADDR, 1);
                api.bind(s, SockAddr.of(self, port));
                api.listen(s, 65535); // netkit counts accepted-and-open connections too: idle figures hold many
                return new Server() {
                    private boolean closed;

                    @Override
                    public Conn accept() throws IOException {
                        try {
                            return wrap(api.accept(s).token());
                        } catch (ErrnoException e) {
                            throw io(e);
                        }
                    }

                    @Override
                    public synchronized void close() throws IOException {
                        if (closed) {
                            return;
                        }
                        closed = true;
                        try {
                            api.closesocket(s);
                        } catch (ErrnoException e) {
                            throw io(e);
                        }
                    }
                };
            } catch (ErrnoException e) {
                throw io(e);
            }
        }

        @Override
        public Conn connect(int port) throws IOException {
            try {
                int s = api.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
                api.connect(s, SockAddr.of(peer, port));
                return wrap(s);
            } catch (ErrnoException e) {
                throw io(e);
            }
        }

        private Conn wrap(int s) throws IOException {
            try {
                api.setsockopt(s, Net.IPPROTO_TCP, Net.TCP_NODELAY, 1);
            } catch (ErrnoException e) {
                throw io(e);
            }
            return new Conn() {
                @Override
                public void send(byte[] b, int off, int len) throws IOException {
                    try {
                        while (len > 0) {
                            int n = api.send(s, b, off, len, 0);
                            off += n;
                            len -= n;
                        }
                    } catch (ErrnoException e) {
                        throw io(e);
                    }
                }

                @Override
                public int recv(byte[] b, int off, int len) throws IOException {
                    try {
                        int n = api.recv(s, b, off, len, 0);
                        return n == 0 ? -1 : n;
                    } catch (ErrnoException e) {
                        throw io(e);
                    }
                }

                @Override
                public void shutdownOutput() throws IOException {
                    try {
                        api.shutdown(s, Net.SHUT_WR);
                    } catch (ErrnoException e) {
                        throw io(e);
                    }
                }

                @Override
                public void close() throws IOException {
                    try {
                        api.closesocket(s);
                    } catch (ErrnoException e) {
                        throw io(e);
                    }
                }
            };
        }

        @Override
        public Datagrams datagrams(int port) throws IOException {
            try {
                int s = api.socket(Net.AF_INET, Net.SOCK_DGRAM, 0);
                api.setsockopt(s, Net.SOL_SOCKET, Net.SO_RCVBUF, 4 << 20);
                api.setsockopt(s, Net.SOL_SOCKET, Net.SO_RCVTIMEO, 2000);
                api.bind(s, SockAddr.of(self, port));
                RecvInfo info = new RecvInfo();
                return new Datagrams() {
                    @Override
                    public void sendTo(byte[] b, int len, int to) throws IOException {
                        try {
                            api.sendto(s, b, 0, len, 0, SockAddr.of(peer, to));
                        } catch (ErrnoException e) {
                            throw io(e);
                        }
                    }

                    @Override
                    public int receive(byte[] b) throws IOException {
                        try {
                            return api.recvfrom(s, b, 0, b.length, 0, info);
                        } catch (ErrnoException e) {
                            throw io(e);
                        }
                    }

                    @Override
                    public void close() {
                        try {
                            api.closesocket(s);
                        } catch (ErrnoException e) {
                            // closing at the end of a run
                        }
                    }
                };
            } catch (ErrnoException e) {
                throw io(e);
            }
        }

        @Override
        public void close() {
        }
    }
}
