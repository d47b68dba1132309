package dev.syntra.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.telemetry.prometheus.ParserLimits;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PrometheusScraperTest {
  private static final ServiceRef WEB = new ServiceRef("acme", "shop", "web");
  private static final String EXPOSITION =
      """
      # HELP http_requests_total Requests.
      # TYPE http_requests_total counter
      http_requests_total{code="200"} 1027
      http_requests_total{code="500"} 3
      # TYPE rt histogram
      rt_bucket{le="0.1"} 1
      rt_bucket{le="+Inf"} 2
      rt_sum 0.3
      rt_count 2
      """;

  private HttpServer server;
  private final ExecutorService scrapes = Executors.newSingleThreadExecutor();
  private final RecordingIntake intake = new RecordingIntake();
  private final AtomicReference<String> accept = new AtomicReference<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/metrics", ex -> answer(ex, 200, EXPOSITION));
    server.createContext("/broken", ex -> answer(ex, 200, "metric{l=bla} 1\n"));
    server.createContext("/error", ex -> answer(ex, 500, "no"));
    server.createContext("/huge", ex -> answer(ex, 200, "a 1\n".repeat(100_000)));
    server.createContext(
        "/slow",
        ex -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          answer(ex, 200, EXPOSITION);
        });
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
    scrapes.shutdownNow();
  }

  private void answer(HttpExchange exchange, int status, String body) throws IOException {
    accept.set(exchange.getRequestHeaders().getFirst("Accept"));
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private ScrapeTarget target(String path) {
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    return new ScrapeTarget(WEB, url, Duration.ofSeconds(1), Duration.ofMillis(500));
  }

  private PrometheusScraper scraper(List<ScrapeTarget> targets) {
    return new PrometheusScraper(
        () -> targets, intake, Clock.systemUTC(), 64 * 1024, ParserLimits.DEFAULT, scrapes);
  }

  private double gauge(String name) {
    Metric metric =
        intake.metrics().stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
    return metric.getGauge().getDataPoints(0).getAsDouble();
  }

  private void scrapeOnce(PrometheusScraper scraper) {
    scraper.tick();
    await().atMost(Duration.ofSeconds(10)).until(() -> !intake.chunks.isEmpty());
  }

  @Test
  void scrapesTheTextFormatIntoOtlpWithUpAndScrapeMetrics() {
    try (PrometheusScraper scraper = scraper(List.of(target("/metrics")))) {
      scrapeOnce(scraper);
      assertThat(accept.get()).startsWith("text/plain;version=0.0.4");
      assertThat(intake.metricNames())
          .contains(
              "http_requests_total",
              "rt",
              "up",
              "scrape_duration_seconds",
              "scrape_samples_scraped");
      assertThat(gauge("up")).isEqualTo(1.0);
      assertThat(gauge("scrape_samples_scraped")).isEqualTo(3.0);
      Metric counter = intake.metrics().get(0);
      assertThat(counter.getSum().getIsMonotonic()).isTrue();
      assertThat(counter.getSum().getDataPoints(0).getStartTimeUnixNano()).isPositive();
      var resource = intake.chunks.get(0).metrics().getResourceMetrics(0).getResource();
      assertThat(resource.getAttributesList())
          .extracting(kv -> kv.getKey())
          .contains("service.name", "syntra.service", "server.address", "server.port", "url.full");
      scraper.tick(); // not due again within the interval
      assertThat(scraper.stats().chunks()).isEqualTo(1);
    }
  }

  @Test
  void failuresReportUpZero() {
    for (String path : List.of("/broken", "/error", "/huge", "/nothing-here")) {
      intake.chunks.clear();
      try (PrometheusScraper scraper = scraper(List.of(target(path)))) {
        scrapeOnce(scraper);
      }
      assertThat(gauge("up")).as(path).isEqualTo(0.0);
      assertThat(intake.metricNames())
          .as(path)
          .containsExactly("up", "scrape_duration_seconds", "scrape_samples_scraped");
    }
  }

  @Test
  void aTargetThatNeverAnswersTimesOut() {
    try (PrometheusScraper scraper = scraper(List.of(target("/slow")))) {
      scrapeOnce(scraper);
      assertThat(gauge("up")).isEqualTo(0.0);
    }
  }

  @Test
  void userInfoNeverReachesTelemetry() {
    assertThat(PrometheusScraper.withoutUserInfo(URI.create("http://u:secret@127.0.0.1:9/metrics")))
        .isEqualTo("http://127.0.0.1:9/metrics");
  }
}
