package dev.syntra.runtime.docker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for the Docker daemon that can vanish: forwards TCP connections on a loopback port to
 * the real daemon ({@link DockerAvailable#dockerHost()}, unix socket or TCP). {@link #close()}
 * closes the listener and every forwarded connection, so the daemon "goes down" for whoever talks
 * through it. Each connection uses two virtual threads.
 */
final class DaemonForwarder implements AutoCloseable {
  private final ServerSocketChannel server;
  private final SocketAddress target;
  private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;

  DaemonForwarder() throws IOException {
    URI host = DockerAvailable.dockerHost();
    target =
        "unix".equals(host.getScheme())
            ? UnixDomainSocketAddress.of(host.getPath())
            : new InetSocketAddress(host.getHost(), host.getPort());
    server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    acceptor = Thread.ofVirtual().name("daemon-forwarder-accept").start(this::accept);
  }

  /** The address to give an adapter: {@code tcp://127.0.0.1:port}. */
  URI uri() throws IOException {
    InetSocketAddress local = (InetSocketAddress) server.getLocalAddress();
    return URI.create("tcp://127.0.0.1:" + local.getPort());
  }

  @Override
  public void close() throws IOException, InterruptedException {
    server.close();
    for (SocketChannel c : open) {
      c.close();
    }
    acceptor.join();
  }

  private void accept() {
    while (server.isOpen()) {
      try {
        SocketChannel client = server.accept();
        SocketChannel upstream = SocketChannel.open(target);
        open.add(client);
        open.add(upstream);
        Thread.ofVirtual().name("daemon-forwarder-up").start(() -> pump(client, upstream));
        Thread.ofVirtual().name("daemon-forwarder-down").start(() -> pump(upstream, client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(SocketChannel from, SocketChannel to) {
    ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
    try {
      while (from.read(buffer) >= 0) {
        buffer.flip();
        while (buffer.hasRemaining()) {
          to.write(buffer);
        }
        buffer.clear();
      }
    } catch (IOException e) {
      // The other side or close() ended the connection.
    } finally {
      try {
        from.close();
        to.close();
      } catch (IOException e) {
        // Already closed.
      }
      open.remove(from);
      open.remove(to);
    }
  }
}
