package netkit.compat.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Function;
import javax.net.ServerSocketFactory;

/**
 * A minimal HTTP/1.1 server (RFC 9112) written only against {@link ServerSocketFactory}: GET and
 * HEAD, persistent connections (closed after {@code Connection: close} or an HTTP/1.0 request),
 * {@code Content-Length} bodies from a handler (path to bytes, null for 404). A thread per connection.
 */
public final class MiniHttpServer implements AutoCloseable {
    private final ServerSocket server;
    private final Function<String, byte[]> handler;
    private final Thread acceptor;

    public MiniHttpServer(ServerSocketFactory factory, int port, Function<String, byte[]> handler) throws IOException {
        this.server = factory.createServerSocket(port, 64);
        this.handler = handler;
        this.acceptor = new Thread(this::acceptLoop, "http-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "http-" + s.getPort());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    e.printStackTrace();
                }
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 65536);
            while (true) {
                String requestLine = line(in);
                if (requestLine == null) {
                    return;
                }
                if (requestLine.isEmpty()) {
                    continue; // RFC 9112 §2.2: ignore empty lines before a request
                }
                String[] parts = requestLine.split(" ");
                boolean close = parts.length < 3 || !parts[2].equals("HTTP/1.1");
                long contentLength = 0;
                for (String h; (h = line(in)) != null && !h.isEmpty();) {
                    String lower = h.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("connection:") && lower.contains("close")) {
                        close = true;
                    } else if (lower.startsWith("content-length:")) {
                        contentLength = Long.parseLong(lower.substring(15).trim());
                    }
                }
                in.skipNBytes(contentLength);
                byte[] body = parts.length >= 2 ? handler.apply(parts[1]) : null;
                String status = body == null ? "404 Not Found" : "200 OK";
                if (body == null) {
                    body = "not found\n".getBytes(StandardCharsets.US_ASCII);
                }
                String head = "HTTP/1.1 " + status + "\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                        + body.length + "\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n";
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                if (!parts[0].equals("HEAD")) {
                    out.write(body);
                }
                out.flush();
                if (close) {
                    s.shutdownOutput();
                    in.readAllBytes(); // let the client close first: our FIN, then its
                    return;
                }
            }
        } catch (SocketException e) {
            // the client went away
        } catch (IOException e) {
            e.printStackTrace();
        }
    }

    /** A CRLF- (or LF-) terminated line, null at end of stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) >= 0;) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.US_ASCII);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
            if (b.size() > 8192) {
                throw new IOException("line too long");
            }
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
