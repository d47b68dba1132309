package dev.syntra.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syntra.protocol.security.TokenFormat;
import dev.syntra.server.FloodTestSupport;
import dev.syntra.server.Tenants;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The HTTP port under slow and unauthenticated clients: the header deadline and connection caps at
 * the socket level, junk API tokens refused without a query, and the per-address budget of requests
 * that do not authenticate.
 */
class HttpFloodTest extends FloodTestSupport {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Autowired private MeterRegistry meters;
  @Autowired private Jdbi jdbi;

  /** A client that sends a request line, then one header line every 300 ms, forever. */
  private static final class SlowClient {
    final Socket socket = new Socket();
    final AtomicBoolean closedByServer = new AtomicBoolean();

    SlowClient(InetAddress from, int port) throws IOException {
      socket.bind(new InetSocketAddress(from, 0));
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
      Thread.ofVirtual().start(this::watch);
    }

    void trickle(int line) {
      try {
        OutputStream out = socket.getOutputStream();
        String text =
            line == 0 ? "GET /api/v1/projects HTTP/1.1\r\n" : "X-Slow-" + line + ": x\r\n";
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } catch (IOException e) {
        closedByServer.set(true);
      }
    }

    private void watch() {
      try {
        InputStream in = socket.getInputStream();
        while (in.read() != -1) {
          // a 4xx or 5xx answer to an unfinished request would do too; keep reading to the end
        }
      } catch (IOException e) {
        // reset: closed too
      }
      closedByServer.set(true);
    }
  }

  @Test
  void slowClientsAreCappedPerAddressAndClosedAtTheHeaderDeadline() throws Exception {
    double timeoutsBefore = refused("header_timeout");
    double perAddressBefore = refused("per_address");
    List<SlowClient> slow = new ArrayList<>();
    ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
    try {
      for (int i = 0; i < HTTP_PER_ADDRESS + 1; i++) {
        slow.add(new SlowClient(loopback(61), port));
      }
      AtomicInteger line = new AtomicInteger();
      trickler.scheduleAtFixedRate(
          () -> {
            int n = line.getAndIncrement();
            slow.forEach(client -> client.trickle(n));
          },
          0,
          300,
          TimeUnit.MILLISECONDS);
      // The one beyond the cap is closed at accept.
      await().atMost(Duration.ofSeconds(10)).until(() -> refused("per_address") > perAddressBefore);
      await().atMost(Duration.ofSeconds(10)).until(() -> countClosed(slow) >= 1);

      // Meanwhile a normal client is served.
      Tenants.Member owner = tenants.newOrganization();
      assertThat(api.as(owner.token()).get("/api/v1/projects").status()).isEqualTo(200);

      // Every slow client is closed once its headers are late, though it never stopped sending.
      await().atMost(Duration.ofSeconds(20)).until(() -> countClosed(slow) == slow.size());
      assertThat(refused("header_timeout"))
          .isGreaterThanOrEqualTo(timeoutsBefore + HTTP_PER_ADDRESS);
      assertThat(api.as(owner.token()).get("/api/v1/projects").status()).isEqualTo(200);
    } finally {
      trickler.shutdownNow();
      for (SlowClient client : slow) {
        client.socket.close();
      }
    }
  }

  @Test
  void junkApiTokensAreRefusedWithoutAQueryAndUnauthenticatedRequestsAreLimited() {
    AtomicInteger lookups = new AtomicInteger();
    SqlLogger previous = jdbi.getConfig(SqlStatements.class).getSqlLogger();
    jdbi.getConfig(SqlStatements.class)
        .setSqlLogger(
            new SqlLogger() {
              @Override
              public void logBeforeExecution(StatementContext context) {
                previous.logBeforeExecution(context);
                if (context.getRenderedSql().contains("syntra_find_api_token")) {
                  lookups.incrementAndGet();
                }
              }
            });
    try {
      Tenants.Member owner = tenants.newOrganization();
      assertThat(get(loopback(71), "/api/v1/projects", owner.token()).statusCode()).isEqualTo(200);
      lookups.set(0);

      InetAddress flooder = loopback(72);
      String good = new TokenFormat("syn_pat_").generate(RANDOM);
      String junk = good.substring(0, good.length() - 1) + (good.endsWith("A") ? "B" : "A");
      for (int i = 0; i < UNAUTHENTICATED; i++) {
        HttpResponse<String> refused = get(flooder, "/api/v1/projects", junk);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("checksum");
      }
      assertThat(lookups).hasValue(0);
      HttpResponse<String> limited = get(flooder, "/api/v1/projects", junk);
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(limited.headers().firstValue("Retry-After")).isPresent();
      assertThat(limited.body()).contains("rate_limited");
      // Made-up tokens with a valid checksum are not looked up either once the budget is spent...
      assertThat(get(flooder, "/api/v1/projects", good).statusCode()).isEqualTo(429);
      assertThat(lookups).hasValue(0);
      // ...but a token that authenticated recently still works from that address.
      assertThat(get(flooder, "/api/v1/projects", owner.token()).statusCode()).isEqualTo(200);

      // Elsewhere, a well-formed unknown token is looked up (the counter does count lookups).
      assertThat(get(loopback(73), "/api/v1/projects", good).statusCode()).isEqualTo(401);
      assertThat(lookups).hasValue(2);
    } finally {
      jdbi.getConfig(SqlStatements.class).setSqlLogger(previous);
    }
  }

  @Test
  void publicEndpointsAreLimitedPerAddress() {
    InetAddress from = loopback(74);
    for (int i = 0; i < UNAUTHENTICATED; i++) {
      assertThat(get(from, "/api/v1/openapi.json", null).statusCode()).isEqualTo(200);
    }
    HttpResponse<String> limited = get(from, "/api/v1/openapi.json", null);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).isPresent();
    assertThat(get(loopback(75), "/api/v1/openapi.json", null).statusCode()).isEqualTo(200);
  }

  private HttpResponse<String> get(InetAddress from, String path, String token) {
    try (HttpClient http = HttpClient.newBuilder().localAddress(from).build()) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(10));
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static long countClosed(List<SlowClient> clients) {
    return clients.stream().filter(c -> c.closedByServer.get()).count();
  }

  private double refused(String limit) {
    var counter = meters.find("syntra.http.refused").tag("limit", limit).functionCounter();
    return counter == null ? 0 : counter.count();
  }
}
