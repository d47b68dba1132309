package dev.syntra.runtime.docker.internal.replica;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.runtime.HealthCheck;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** One health probe against loopback servers that behave like replicas (or Docker's proxy). */
class HealthGateProbeTest {
  private static final Duration SHORT = Duration.ofMillis(500);

  @Test
  void httpProbeIsHealthyOn2xxAndUnhealthyOn404() throws Exception {
    try (Server ok = Server.http(200);
        Server missing = Server.http(404)) {
      assertThat(HealthGate.probe(ok.port(), http()).healthy()).isTrue();
      HealthGate.Probe probe = HealthGate.probe(missing.port(), http());
      assertThat(probe.healthy()).isFalse();
      assertThat(probe.detail()).isEqualTo("GET /health answered 404");
    }
  }

  @Test
  void connectionClosedAtOnceIsUnhealthyForBothProbeKinds() throws Exception {
    try (Server closing = new Server(Socket::close)) {
      assertThat(HealthGate.probe(closing.port(), http()).detail()).contains("got no response");
      HealthGate.Probe tcp = HealthGate.probe(closing.port(), tcp());
      assertThat(tcp.healthy()).isFalse();
      assertThat(tcp.detail()).contains("closed the connection at once");
    }
  }

  @Test
  void tcpProbeIsHealthyWhenTheConnectionStaysOpen() throws Exception {
    try (Server holding = new Server(s -> s.getInputStream().read())) {
      assertThat(HealthGate.probe(holding.port(), tcp()).healthy()).isTrue();
    }
  }

  @Test
  void refusedConnectionIsUnhealthy() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    assertThat(HealthGate.probe(port, tcp()).healthy()).isFalse();
  }

  private static HealthCheck http() {
    return new HealthCheck(HealthCheck.Type.HTTP, "/health", 8080, SHORT, SHORT, 1, Duration.ZERO);
  }

  private static HealthCheck tcp() {
    return new HealthCheck(HealthCheck.Type.TCP, null, 8080, SHORT, SHORT, 1, Duration.ZERO);
  }

  /** A loopback server handling each connection with {@code handler} on a virtual thread. */
  private static final class Server implements AutoCloseable {
    interface Handler {
      void handle(Socket s) throws IOException;
    }

    private final ServerSocket server;

    Server(Handler handler) throws IOException {
      server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
      Consumer<Socket> serve =
          s -> {
            try (s) {
              handler.handle(s);
            } catch (IOException e) {
              // Probe went away.
            }
          };
      Thread.ofVirtual()
          .start(() -> {
            while (!server.isClosed()) {
              try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> serve.accept(s));
              } catch (IOException e) {
                return;
              }
            }
          });
    }

    static Server http(int status) throws IOException {
      return new Server(s -> {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[1024];
        in.read(buf);
        OutputStream out = s.getOutputStream();
        out.write(
            ("HTTP/1.1 " + status + " X\r\nContent-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
      });
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
