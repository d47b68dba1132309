package dev.syntra.runtime.docker.internal.events;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy in front of the daemon's unix socket, so a test can cut every connection and
 * refuse new ones (as a restarting daemon does) without touching the shared daemon. {@link #stop()}
 * drops everything; {@link #start()} listens again on the same port.
 */
final class EventTestProxy implements AutoCloseable {
  private final Path socket;
  private final List<Closeable> open = new CopyOnWriteArrayList<>();
  private volatile ServerSocket server;
  private final int port;

  EventTestProxy(Path socket) throws IOException {
    this.socket = socket;
    this.server = listen(0);
    this.port = server.getLocalPort();
    acceptLoop(server);
  }

  /** {@code tcp://127.0.0.1:<port>}, for a docker-java client. */
  URI uri() {
    return URI.create("tcp://127.0.0.1:" + port);
  }

  /** Closes the listening socket and every proxied connection. */
  synchronized void stop() throws IOException {
    server.close();
    for (Closeable c : open) {
      try {
        c.close();
      } catch (IOException e) {
        // Dropping it is the point.
      }
    }
    open.clear();
  }

  /** Listens again on the same port. */
  synchronized void start() throws IOException {
    server = listen(port);
    acceptLoop(server);
  }

  private static ServerSocket listen(int port) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return s;
  }

  private void acceptLoop(ServerSocket s) {
    Thread t =
        new Thread(
            () -> {
              while (!s.isClosed()) {
                try {
                  Socket client = s.accept();
                  SocketChannel daemon = SocketChannel.open(StandardProtocolFamily.UNIX);
                  daemon.connect(UnixDomainSocketAddress.of(socket));
                  open.add(client);
                  open.add(daemon);
                  pump(client.getInputStream(), Channels.newOutputStream(daemon), client, daemon);
                  pump(Channels.newInputStream(daemon), client.getOutputStream(), client, daemon);
                } catch (IOException e) {
                  return;
                }
              }
            },
            "event-test-proxy-accept");
    t.setDaemon(true);
    t.start();
  }

  private static void pump(InputStream in, OutputStream out, Closeable a, Closeable b) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[8192];
              try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // Connection dropped.
              } finally {
                closeQuietly(a);
                closeQuietly(b);
              }
            },
            "event-test-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // Already closed.
    }
  }

  @Override
  public void close() throws IOException {
    stop();
  }
}
