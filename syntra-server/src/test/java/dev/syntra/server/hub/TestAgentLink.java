package dev.syntra.server.hub;

import dev.syntra.protocol.ProtocolLimits;
import dev.syntra.protocol.json.MessageCodec;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.message.Message;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * A bare protocol client for hub tests: the JDK's WebSocket over TLS trusting only the hub's CA
 * (with hostname verification against the certificate's 127.0.0.1 entry). Sends envelopes as they
 * are given, so tests can also send what a well-behaved agent never would.
 */
final class TestAgentLink implements AutoCloseable {
  /** Bounded like the agent's decoder. */
  private final MessageCodec codec = MessageCodec.create(ProtocolLimits.MAX_TEXT_MESSAGE_BYTES);

  private final BlockingQueue<Envelope> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final WebSocket socket;

  private TestAgentLink(URI uri, SSLContext ssl, @Nullable InetAddress local) throws Exception {
    HttpClient.Builder builder = HttpClient.newBuilder().sslContext(ssl);
    if (local != null) {
      builder.localAddress(local);
    }
    HttpClient client = builder.build();
    socket =
        client
            .newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .buildAsync(uri, new Listener())
            .get(10, TimeUnit.SECONDS);
  }

  static TestAgentLink connect(String url, Path caFile) throws Exception {
    return connect(url, caFile, null);
  }

  /** Connects from {@code local} (e.g. 127.0.0.9), so tests of per-address limits stay apart. */
  static TestAgentLink connect(String url, Path caFile, @Nullable InetAddress local)
      throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(caFile)) {
      trust.setCertificateEntry(
          "hub-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return new TestAgentLink(URI.create(url), ssl, local);
  }

  Envelope send(Message message) {
    Envelope envelope = Envelope.of(message, Clock.systemUTC());
    send(envelope);
    return envelope;
  }

  void send(Envelope envelope) {
    sendText(codec.encode(envelope));
  }

  /** Sends one binary message (a telemetry frame), as given. */
  void sendBinary(byte[] frame) {
    socket.sendBinary(java.nio.ByteBuffer.wrap(frame), true).join();
  }

  void sendText(String text) {
    socket.sendText(text, true).join();
  }

  /** Sends {@code text}, ignoring a failure (the hub may close the link while it is sent). */
  void sendTextQuietly(String text) {
    try {
      socket.sendText(text, true).join();
    } catch (RuntimeException e) {
      // closed by the hub: what the caller expects
    }
  }

  /** The next message from the hub; fails after 10 s. */
  Envelope next() throws InterruptedException {
    Envelope e = received.poll(10, TimeUnit.SECONDS);
    if (e == null) {
      throw new AssertionError("no message from the hub within 10 s");
    }
    return e;
  }

  /** The next message from the hub of {@code type}, skipping others. */
  <T extends Message> T next(Class<T> type) throws InterruptedException {
    while (true) {
      Envelope e = next();
      if (type.isInstance(e.payload())) {
        return type.cast(e.payload());
      }
    }
  }

  Envelope nextEnvelope(Class<? extends Message> type) throws InterruptedException {
    while (true) {
      Envelope e = next();
      if (type.isInstance(e.payload())) {
        return e;
      }
    }
  }

  /** Waits until the hub closes the link; true if it did within {@code timeout}. */
  boolean awaitClosed(Duration timeout) {
    try {
      closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() {
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        received.add(codec.decode(partial.toString()));
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
      closed.complete(status);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closed.complete(-1);
    }
  }
}
