package dev.syntra.protocol.message;

import dev.syntra.protocol.internal.Checks;
import java.time.Duration;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How an agent treats one service's telemetry: the sampler's settings and an optional Prometheus
 * scrape of the service's containers.
 *
 * @param traceSampleRatio share of traces without an error that is kept, 0 to 1; the decision is
 *     made consistently from the trace id, and traces containing an error are always kept
 * @param maxSpansPerSecond ceiling of spans per second the agent accepts from the service
 *     (1-1,000,000); beyond it non-error spans are dropped and counted
 * @param maxLogLinesPerSecond ceiling of log records per second the agent accepts from the service
 *     (1-1,000,000); beyond it log records are dropped and counted
 * @param prometheus scrape of the service's containers, or null for none
 */
public record TelemetrySettings(
    double traceSampleRatio,
    int maxSpansPerSecond,
    int maxLogLinesPerSecond,
    @Nullable PrometheusScrape prometheus) {

  /** Highest per-second ceiling (spans or log lines) a service can be given. */
  public static final int MAX_RATE_PER_SECOND = 1_000_000;

  /** Keep every trace, at most 1,000 spans and 1,000 log lines per second, no scrape. */
  public static final TelemetrySettings DEFAULTS = new TelemetrySettings(1.0, 1000, 1000, null);

  public TelemetrySettings {
    Checks.percent(traceSampleRatio, "trace_sample_ratio", 1.0);
    Checks.range(maxSpansPerSecond, 1, MAX_RATE_PER_SECOND, "max_spans_per_second");
    Checks.range(maxLogLinesPerSecond, 1, MAX_RATE_PER_SECOND, "max_log_lines_per_second");
  }

  /**
   * A Prometheus scrape of every replica of the service: {@code GET http://<replica>:<port><path>}
   * (text exposition format) every {@code interval}, abandoned after {@code timeout}.
   *
   * @param port the container port the metrics are served on (1-65535)
   * @param path the HTTP path, starting with '/', printable ASCII without spaces, at most 1024
   *     characters; {@link #DEFAULT_PATH} by default
   * @param interval time between scrapes, 1 s to 1 h; {@link #DEFAULT_INTERVAL} by default
   * @param timeout how long one scrape may take, 100 ms up to {@code interval}; the smaller of 10 s
   *     and {@code interval} by default
   */
  public record PrometheusScrape(int port, String path, Duration interval, Duration timeout) {
    public static final String DEFAULT_PATH = "/metrics";
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    public static final Duration MAX_INTERVAL = Duration.ofHours(1);
    public static final Duration MIN_TIMEOUT = Duration.ofMillis(100);
    private static final Pattern PATH = Pattern.compile("/[!-~]{0,1023}");

    public PrometheusScrape {
      Checks.range(port, 1, 65535, "port");
      if (path == null || !PATH.matcher(path).matches()) {
        throw new IllegalArgumentException(
            "path: must start with '/' and be at most 1024 printable ASCII characters without"
                + " spaces, was "
                + path);
      }
      Checks.notNull(interval, "interval_ms");
      Checks.notNull(timeout, "timeout_ms");
      if (interval.compareTo(MIN_INTERVAL) < 0 || interval.compareTo(MAX_INTERVAL) > 0) {
        throw new IllegalArgumentException(
            "interval_ms: must be between 1000 and 3600000, was " + interval.toMillis());
      }
      if (timeout.compareTo(MIN_TIMEOUT) < 0 || timeout.compareTo(interval) > 0) {
        throw new IllegalArgumentException(
            "timeout_ms: must be between 100 and interval_ms ("
                + interval.toMillis()
                + "), was "
                + timeout.toMillis());
      }
    }

    /** {@code port} with the default path, interval and timeout. */
    public static PrometheusScrape onPort(int port) {
      return new PrometheusScrape(
          port, DEFAULT_PATH, DEFAULT_INTERVAL, defaultTimeout(DEFAULT_INTERVAL));
    }

    /** The timeout used when none is given: 10 s, or the interval when that is shorter. */
    public static Duration defaultTimeout(Duration interval) {
      Duration tenSeconds = Duration.ofSeconds(10);
      return interval.compareTo(tenSeconds) < 0 ? interval : tenSeconds;
    }
  }
}
