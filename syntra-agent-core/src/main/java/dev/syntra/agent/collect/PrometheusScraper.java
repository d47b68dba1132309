package dev.syntra.agent.collect;

import dev.syntra.telemetry.TelemetryChunk;
import dev.syntra.telemetry.pipeline.TelemetryIntake;
import dev.syntra.telemetry.prometheus.MetricFamily;
import dev.syntra.telemetry.prometheus.ParserLimits;
import dev.syntra.telemetry.prometheus.PrometheusParseException;
import dev.syntra.telemetry.prometheus.PrometheusTextParser;
import dev.syntra.telemetry.prometheus.PrometheusToOtlp;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes the Prometheus endpoints {@code targets} names, each on its own interval, and sends what
 * it finds as OTLP metrics (see {@link PrometheusToOtlp}) under the service's resource (plus {@code
 * server.address}, {@code server.port}, {@code url.full}). Like Prometheus, each scrape also yields
 * {@code up} (1 when the scrape and the parse succeeded), {@code scrape_duration_seconds} and
 * {@code scrape_samples_scraped}; a failed scrape yields only those. Requests ask for the text
 * format ({@code Accept: text/plain;version=0.0.4}), time out after the target's timeout and fail
 * when the body exceeds {@code maxResponseBytes}. Scrapes run one at a time on {@code executor};
 * the schedule is driven by {@link #tick()}. Thread-safe.
 */
final class PrometheusScraper implements AutoCloseable {
  static final String ACCEPT = "text/plain;version=0.0.4;q=1,*/*;q=0.1";
  private static final Logger log = LoggerFactory.getLogger(PrometheusScraper.class);

  private final Supplier<List<ScrapeTarget>> targets;
  private final IntakeGate gate;
  private final Clock clock;
  private final long maxResponseBytes;
  private final PrometheusTextParser parser;
  private final Executor executor;
  private final HttpClient http;
  private final Map<ScrapeTarget, TargetState> states = new HashMap<>();

  /** Schedule and start-time bookkeeping of one target. */
  private static final class TargetState {
    long nextDueNanos;
    volatile boolean inFlight;
    long startUnixNanos;
    boolean up;
  }

  PrometheusScraper(
      Supplier<List<ScrapeTarget>> targets,
      TelemetryIntake intake,
      Clock clock,
      long maxResponseBytes,
      ParserLimits limits,
      Executor executor) {
    this.targets = targets;
    this.gate = new IntakeGate("prometheus", intake);
    this.clock = clock;
    this.maxResponseBytes = maxResponseBytes;
    this.parser = new PrometheusTextParser(limits);
    this.executor = executor;
    this.http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(java.time.Duration.ofSeconds(5))
            .build();
  }

  /** Starts the scrapes that are due. */
  synchronized void tick() {
    List<ScrapeTarget> current;
    try {
      current = targets.get();
    } catch (RuntimeException e) {
      log.warn("Cannot list the scrape targets: {}", e.toString());
      return;
    }
    Set<ScrapeTarget> wanted = new HashSet<>(current);
    states.keySet().retainAll(wanted);
    long now = System.nanoTime();
    for (ScrapeTarget target : wanted) {
      TargetState state = states.computeIfAbsent(target, t -> newState(now));
      if (state.inFlight || now - state.nextDueNanos < 0) {
        continue;
      }
      state.nextDueNanos = now + target.interval().toNanos();
      state.inFlight = true;
      executor.execute(() -> scrape(target, state));
    }
  }

  private static TargetState newState(long now) {
    TargetState state = new TargetState();
    state.nextDueNanos = now;
    return state;
  }

  /** Scrapes once and sends the result; runs on the executor. */
  void scrape(ScrapeTarget target, TargetState state) {
    try {
      long started = System.nanoTime();
      long scrapeTime = LogRecordMapper.nanos(clock.instant());
      List<MetricFamily> families = null;
      String error = null;
      try {
        families = parser.parse(fetch(target));
      } catch (PrometheusParseException e) {
        error = "invalid exposition: " + e.getMessage();
      } catch (ScrapeException e) {
        error = e.getMessage();
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      boolean up = families != null;
      if (up && !state.up) {
        state.startUnixNanos = scrapeTime; // first reached, or back after being down
      }
      state.up = up;
      if (error != null) {
        log.debug("Scrape of {} ({}) failed: {}", target.url(), target.service(), error);
      }
      gate.send(
          TelemetryChunk.of(
              data(target, families, scrapeTime, state.startUnixNanos, seconds), false));
    } finally {
      state.inFlight = false;
    }
  }

  private byte[] fetch(ScrapeTarget target) throws ScrapeException {
    HttpRequest request =
        HttpRequest.newBuilder(target.url())
            .timeout(target.timeout())
            .header("Accept", ACCEPT)
            .header(
                "X-Prometheus-Scrape-Timeout-Seconds",
                Double.toString(target.timeout().toMillis() / 1000.0))
            .GET()
            .build();
    CompletableFuture<HttpResponse<byte[]>> call =
        http.sendAsync(request, info -> new CappedBody(maxResponseBytes));
    try {
      HttpResponse<byte[]> response = call.get(target.timeout().toMillis(), TimeUnit.MILLISECONDS);
      if (response.statusCode() / 100 != 2) {
        throw new ScrapeException("HTTP status " + response.statusCode());
      }
      return response.body();
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new ScrapeException("timed out after " + target.timeout().toMillis() + " ms");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new ScrapeException(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      call.cancel(true);
      throw new ScrapeException("interrupted");
    }
  }

  private static MetricsData data(
      ScrapeTarget target,
      @Nullable List<MetricFamily> families,
      long time,
      long start,
      double seconds) {
    ScopeMetrics.Builder scope =
        families == null
            ? ScopeMetrics.newBuilder()
                .setScope(
                    io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder()
                        .setName(PrometheusToOtlp.SCOPE_NAME))
            : PrometheusToOtlp.convert(families, time, start).toBuilder();
    long samples = 0;
    if (families != null) {
      for (MetricFamily family : families) {
        samples += family.points().size();
      }
    }
    scope.addMetrics(
        gauge("up", "1 when the target was scraped and parsed", families != null ? 1 : 0, time));
    scope.addMetrics(gauge("scrape_duration_seconds", "Duration of the scrape", seconds, time));
    scope.addMetrics(gauge("scrape_samples_scraped", "Series the target exposed", samples, time));
    var resource =
        OtlpValues.service(target.service())
            .addAttributes(OtlpValues.attribute("server.address", target.url().getHost()))
            .addAttributes(OtlpValues.attribute("url.full", withoutUserInfo(target.url())));
    if (target.url().getPort() > 0) {
      resource.addAttributes(OtlpValues.attribute("server.port", target.url().getPort()));
    }
    return MetricsData.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder().setResource(resource).addScopeMetrics(scope))
        .build();
  }

  /** The URL without credentials, so none end up in telemetry. */
  static String withoutUserInfo(java.net.URI url) {
    String text = url.toString();
    String userInfo = url.getRawUserInfo();
    return userInfo == null ? text : text.replace(userInfo + "@", "");
  }

  private static Metric gauge(String name, String description, double value, long time) {
    return MetricBuilder.gauge(
        name, "", description, List.of(MetricBuilder.point(value, time, List.of())));
  }

  CollectorStats stats() {
    return gate.stats();
  }

  @Override
  public void close() {
    http.shutdownNow();
  }

  /** A scrape that failed before the exposition could be parsed. */
  private static final class ScrapeException extends Exception {
    private static final long serialVersionUID = 1L;

    ScrapeException(String message) {
      super(message, null, false, false);
    }
  }
}
