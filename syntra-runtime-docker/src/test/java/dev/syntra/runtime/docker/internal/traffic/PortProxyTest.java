package dev.syntra.runtime.docker.internal.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.syntra.protocol.runtime.HostBinding;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link PortProxy} against plain loopback sockets. */
class PortProxyTest {
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
  }

  @Test
  void forwardsBytesInBothDirections() throws IOException {
    Backend echo = backend("echo", Backend.Mode.ECHO);
    PortProxy proxy = proxy(8, x -> {});
    proxy.setBackends(List.of(echo.asBackend(1)));

    try (Socket client = connect(proxy)) {
      client.getOutputStream().write("hello proxy".getBytes(StandardCharsets.UTF_8));
      assertThat(readExactly(client, 11)).isEqualTo("hello proxy");
    }
  }

  @Test
  void spreadsNewConnectionsByWeight() throws IOException {
    Backend a = backend("a", Backend.Mode.NAME);
    Backend b = backend("b", Backend.Mode.NAME);
    PortProxy proxy = proxy(8, x -> {});
    proxy.setBackends(List.of(a.asBackend(3), b.asBackend(1)));

    Map<String, Integer> seen = new TreeMap<>();
    for (int i = 0; i < 40; i++) {
      seen.merge(readName(proxy), 1, Integer::sum);
    }

    assertThat(seen).containsEntry("a", 30).containsEntry("b", 10);
  }

  @Test
  void equalWeightsAlternate() throws IOException {
    Backend a = backend("a", Backend.Mode.NAME);
    Backend b = backend("b", Backend.Mode.NAME);
    PortProxy proxy = proxy(8, x -> {});
    proxy.setBackends(List.of(a.asBackend(1), b.asBackend(1)));

    List<String> order = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      order.add(readName(proxy));
    }

    assertThat(order).containsExactly("a", "b", "a", "b");
  }

  @Test
  void swapsBackendsAtomicallyWhileOpenConnectionsContinue() throws IOException {
    Backend oldEcho = backend("old", Backend.Mode.ECHO);
    Backend next = backend("new", Backend.Mode.NAME);
    PortProxy proxy = proxy(8, x -> {});
    proxy.setBackends(List.of(oldEcho.asBackend(1)));

    try (Socket open = connect(proxy)) {
      open.getOutputStream().write('x');
      assertThat(readExactly(open, 1)).isEqualTo("x");

      proxy.setBackends(List.of(next.asBackend(1)));

      assertThat(readName(proxy)).isEqualTo("new");
      open.getOutputStream().write('y');
      assertThat(readExactly(open, 1)).isEqualTo("y");
      assertThat(proxy.activeConnections("old")).isEqualTo(1);
      assertThat(proxy.backends()).extracting(PortProxy.Backend::id).containsExactly("new");
    }
  }

  @Test
  void drainWaitsUntilConnectionsToTheRemovedBackendEnd() throws Exception {
    Backend echo = backend("old", Backend.Mode.ECHO);
    PortProxy proxy = proxy(8, x -> {});
    proxy.setBackends(List.of(echo.asBackend(1)));
    Socket open = connect(proxy);
    open.getOutputStream().write('x');
    readExactly(open, 1);
    proxy.setBackends(List.of());

    assertThat(proxy.drain("old", Duration.ofMillis(50))).isFalse();
    CompletableFuture<Boolean> drained =
        CompletableFuture.supplyAsync(() -> {
          try {
            return proxy.drain("old", Duration.ofSeconds(10));
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
    open.close();

    assertThat(drained.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(proxy.activeConnections("old")).isZero();
    assertThat(proxy.drain("never-used", Duration.ZERO)).isTrue();
  }

  @Test
  void refusesConnectionsBeyondTheBoundAndCountsThem() throws IOException {
    Backend echo = backend("echo", Backend.Mode.ECHO);
    PortProxy proxy = proxy(1, x -> {});
    proxy.setBackends(List.of(echo.asBackend(1)));

    try (Socket first = connect(proxy)) {
      first.getOutputStream().write('x');
      readExactly(first, 1);
      try (Socket second = connect(proxy)) {
        assertThat(second.getInputStream().read()).isEqualTo(-1);
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> proxy.stats().refused() == 1);
      first.getOutputStream().write('y');
      assertThat(readExactly(first, 1)).isEqualTo("y");
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.stats().active() == 0);
    assertThat(readName(proxyWithBackend(proxy, backend("later", Backend.Mode.NAME))))
        .isEqualTo("later");
  }

  @Test
  void failsOverToAnotherBackendWhenOneDoesNotAnswer() throws IOException {
    Backend alive = backend("alive", Backend.Mode.NAME);
    List<PortProxy.Backend> unreachable = new CopyOnWriteArrayList<>();
    PortProxy proxy = proxy(8, unreachable::add);
    proxy.setBackends(List.of(new PortProxy.Backend("dead", closedPort(), 1), alive.asBackend(1)));

    for (int i = 0; i < 4; i++) {
      assertThat(readName(proxy)).isEqualTo("alive");
    }

    assertThat(unreachable).extracting(PortProxy.Backend::id).contains("dead");
    assertThat(proxy.stats().failed()).isZero();
  }

  @Test
  void countsFailedConnectionsWhenNoBackendAnswers() throws IOException {
    PortProxy proxy = proxy(8, x -> {});
    proxy.setBackends(List.of(new PortProxy.Backend("dead", closedPort(), 1)));

    try (Socket client = connect(proxy)) {
      assertThat(client.getInputStream().read()).isEqualTo(-1);
    }
    try (Socket client = connect(proxyWithBackend(proxy, null))) {
      assertThat(client.getInputStream().read()).isEqualTo(-1);
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.stats().failed() == 2);
    assertThat(proxy.stats().accepted()).isEqualTo(2);
  }

  @Test
  void halfCloseFromTheClientStillDeliversTheAnswer() throws IOException {
    Backend replyAtEof = backend("eof", Backend.Mode.REPLY_AT_EOF);
    PortProxy proxy = proxy(8, x -> {});
    proxy.setBackends(List.of(replyAtEof.asBackend(1)));

    try (Socket client = connect(proxy)) {
      client.getOutputStream().write("request".getBytes(StandardCharsets.UTF_8));
      client.shutdownOutput();
      assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("got 7 bytes");
    }
  }

  @Test
  void clientHalfCloseGivesTheBackendOnlyTheLingerTime() throws IOException {
    Backend silent = backend("silent", Backend.Mode.SILENT);
    PortProxy proxy = proxy(1, Duration.ofMillis(200), new ServerSocket());
    proxy.setBackends(List.of(silent.asBackend(1)));

    try (Socket client = connect(proxy)) {
      client.getOutputStream().write("request".getBytes(StandardCharsets.UTF_8));
      client.shutdownOutput();
      assertThat(client.getInputStream().read()).isEqualTo(-1);
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.stats().active() == 0);
    assertThat(proxy.activeConnections("silent")).isZero();
    assertThat(readName(proxyWithBackend(proxy, backend("next", Backend.Mode.NAME))))
        .isEqualTo("next");
  }

  @Test
  void keepsAcceptingAfterAcceptFails() throws IOException {
    Backend named = backend("named", Backend.Mode.NAME);
    FailingServerSocket server = new FailingServerSocket(3);
    PortProxy proxy = proxy(8, Duration.ofSeconds(30), server);
    proxy.setBackends(List.of(named.asBackend(1)));

    assertThat(readName(proxy)).isEqualTo("named");
    assertThat(server.failures).isEqualTo(3);
    assertThat(readName(proxy)).isEqualTo("named");
  }

  @Test
  void bindingATakenAddressIsConflict() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      HostBinding binding = HostBinding.loopback(taken.getLocalPort());

      assertThatThrownBy(() -> PortProxy.open(binding, 8, Duration.ofSeconds(1), x -> {}))
          .isInstanceOf(RuntimeAdapterException.Conflict.class)
          .hasMessageContaining(binding.toString())
          .hasMessageContaining("already in use");
    }
  }

  @Test
  void closeIsIdempotentClosesOpenConnectionsAndFreesTheAddress() throws IOException {
    Backend echo = backend("echo", Backend.Mode.ECHO);
    PortProxy proxy = PortProxy.open(freeBinding(), 8, Duration.ofSeconds(1), x -> {});
    proxy.setBackends(List.of(echo.asBackend(1)));
    Socket open = connect(proxy);
    open.getOutputStream().write('x');
    readExactly(open, 1);

    proxy.close();
    proxy.close();

    assertThat(open.getInputStream().read()).isEqualTo(-1);
    open.close();
    try (PortProxy again = PortProxy.open(proxy.binding(), 8, Duration.ofSeconds(1), x -> {})) {
      assertThat(again.binding()).isEqualTo(proxy.binding());
    }
  }

  @Test
  void rejectsDuplicateBackendsAndBadWeights() throws IOException {
    PortProxy proxy = proxy(8, x -> {});
    PortProxy.Backend a = new PortProxy.Backend("a", 1000, 1);

    assertThatThrownBy(() -> proxy.setBackends(List.of(a, a)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PortProxy.Backend("a", 1000, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private PortProxy proxy(int maxConnections, Consumer<PortProxy.Backend> onUnreachable)
      throws IOException {
    PortProxy proxy =
        PortProxy.open(freeBinding(), maxConnections, Duration.ofSeconds(1), onUnreachable);
    closeables.add(proxy);
    return proxy;
  }

  /** A proxy on {@code server}, bound here to a free loopback port, with the given linger. */
  private PortProxy proxy(int maxConnections, Duration linger, ServerSocket server)
      throws IOException {
    HostBinding binding = freeBinding();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), binding.port()));
    PortProxy proxy =
        PortProxy.start(binding, server, maxConnections, Duration.ofSeconds(1), linger, x -> {});
    closeables.add(proxy);
    return proxy;
  }

  /** Fails its first accepts the way a process out of file descriptors sees them. */
  private static final class FailingServerSocket extends ServerSocket {
    private final int toFail;
    private volatile int failures;

    FailingServerSocket(int toFail) throws IOException {
      this.toFail = toFail;
    }

    @Override
    public Socket accept() throws IOException {
      if (failures < toFail) {
        failures++;
        throw new SocketException("Too many open files");
      }
      return super.accept();
    }
  }

  private static PortProxy proxyWithBackend(PortProxy proxy, Backend backend) {
    proxy.setBackends(backend == null ? List.of() : List.of(backend.asBackend(1)));
    return proxy;
  }

  private Backend backend(String name, Backend.Mode mode) throws IOException {
    Backend b = new Backend(name, mode);
    closeables.add(b);
    return b;
  }

  private static HostBinding freeBinding() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return HostBinding.loopback(s.getLocalPort());
    }
  }

  private static int closedPort() throws IOException {
    return freeBinding().port();
  }

  private static Socket connect(PortProxy proxy) throws IOException {
    Socket s = new Socket();
    s.connect(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.binding().port()), 2000);
    s.setSoTimeout(5000);
    return s;
  }

  private static String readName(PortProxy proxy) throws IOException {
    try (Socket s = connect(proxy)) {
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String readExactly(Socket s, int n) throws IOException {
    return new String(s.getInputStream().readNBytes(n), StandardCharsets.UTF_8);
  }

  /**
   * A loopback server: echoes, writes its name and closes, replies once the client half-closes, or
   * stays silent and open.
   */
  private static final class Backend implements AutoCloseable {
    enum Mode {
      ECHO,
      NAME,
      REPLY_AT_EOF,
      SILENT
    }

    private final String name;
    private final Mode mode;
    private final ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    Backend(String name, Mode mode) throws IOException {
      this.name = name;
      this.mode = mode;
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread.ofVirtual().name("backend-" + name).start(this::acceptLoop);
    }

    PortProxy.Backend asBackend(int weight) {
      return new PortProxy.Backend(name, server.getLocalPort(), weight);
    }

    private void acceptLoop() {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          accepted.add(s);
          Thread.ofVirtual().name("backend-" + name + "-conn").start(() -> serve(s));
        } catch (IOException e) {
          return;
        }
      }
    }

    private void serve(Socket s) {
      try (s) {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        switch (mode) {
          case NAME -> out.write(name.getBytes(StandardCharsets.UTF_8));
          case ECHO -> in.transferTo(out);
          case REPLY_AT_EOF -> {
            int n = in.readAllBytes().length;
            out.write(("got " + n + " bytes").getBytes(StandardCharsets.UTF_8));
          }
          case SILENT -> {
            in.readAllBytes();
            closed.await(); // never answers and keeps its side open
          }
        }
      } catch (IOException e) {
        // Client went away.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() throws IOException {
      closed.countDown();
      server.close();
      for (Socket s : accepted) {
        s.close();
      }
    }
  }
}
