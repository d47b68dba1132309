package dev.syntra.server.deploy;

import dev.syntra.protocol.message.TelemetrySettings;
import dev.syntra.protocol.message.TelemetrySettings.PrometheusScrape;
import dev.syntra.server.api.JsonBody;
import dev.syntra.server.service.TelemetryConfig;
import java.time.Duration;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code PUT /services/{id}/telemetry}: the whole configuration, every field optional
 * (an omitted field takes its default, an omitted or null {@code prometheus} means no scrape).
 */
final class TelemetryRequest {
  private static final Pattern PATH = Pattern.compile("/[!-~]{0,1023}");
  // The scrape's bounds are the protocol's, read here to name the bad field.
  private static final int MIN_INTERVAL_MS = (int) PrometheusScrape.MIN_INTERVAL.toMillis();
  private static final int MAX_INTERVAL_MS = (int) PrometheusScrape.MAX_INTERVAL.toMillis();
  private static final int MIN_TIMEOUT_MS = (int) PrometheusScrape.MIN_TIMEOUT.toMillis();

  private TelemetryRequest() {}

  /** Reads the body; throws a 400 listing every problem. */
  static TelemetryConfig read(JsonBody body) {
    TelemetrySettings d = TelemetrySettings.DEFAULTS;
    Double ratio = body.number("trace_sample_ratio", false, 0, 1);
    Integer spans =
        body.integer("max_spans_per_second", false, 1, TelemetrySettings.MAX_RATE_PER_SECOND);
    Integer logs =
        body.integer("max_log_lines_per_second", false, 1, TelemetrySettings.MAX_RATE_PER_SECOND);
    Boolean inject = body.bool("otel_inject", false);
    JsonBody scrapeBody = body.object("prometheus", false);
    PrometheusScrape scrape = scrapeBody == null ? null : scrape(scrapeBody);
    body.validate();
    return new TelemetryConfig(
        new TelemetrySettings(
            ratio == null ? d.traceSampleRatio() : ratio,
            spans == null ? d.maxSpansPerSecond() : spans,
            logs == null ? d.maxLogLinesPerSecond() : logs,
            scrape),
        inject == null || inject);
  }

  private static @Nullable PrometheusScrape scrape(JsonBody body) {
    Integer port = body.integer("port", true, 1, 65535);
    String path =
        body.string(
            "path",
            false,
            PATH,
            "must start with '/' and be at most 1024 printable ASCII characters without spaces");
    Integer interval = body.integer("interval_ms", false, MIN_INTERVAL_MS, MAX_INTERVAL_MS);
    Integer timeout = body.integer("timeout_ms", false, MIN_TIMEOUT_MS, MAX_INTERVAL_MS);
    if (port == null) {
      return null;
    }
    Duration every =
        interval == null ? PrometheusScrape.DEFAULT_INTERVAL : Duration.ofMillis(interval);
    Duration limit =
        timeout == null ? PrometheusScrape.defaultTimeout(every) : Duration.ofMillis(timeout);
    if (limit.compareTo(every) > 0) {
      body.reject(
          "timeout_ms", "must not be longer than interval_ms (" + every.toMillis() + " ms)");
      return null;
    }
    if (body.has("path") && path == null) {
      return null;
    }
    return new PrometheusScrape(
        port, path == null ? PrometheusScrape.DEFAULT_PATH : path, every, limit);
  }
}
