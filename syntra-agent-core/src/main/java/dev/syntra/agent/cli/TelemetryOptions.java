package dev.syntra.agent.cli;

import dev.syntra.agent.pipeline.PipelineConfig;
import dev.syntra.telemetry.buffer.FsyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the telemetry pipeline's settings: each from its environment variable ({@code SYNTRA_…}) or
 * else its config-file key; a bad value fails the start with a message naming both.
 */
final class TelemetryOptions {
  /** Config-file keys this class reads (ConfigFile accepts them). */
  static final List<String> KEYS =
      List.of(
          "telemetry",
          "otlp_bind",
          "otlp_grpc_port",
          "otlp_http_port",
          "telemetry_buffer_mb",
          "telemetry_spool",
          "telemetry_fsync",
          "trace_ratio",
          "collect_logs",
          "collect_host_metrics",
          "collect_container_metrics",
          "metrics_interval");

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  private final ConfigFile file;
  private final Map<String, String> env;

  private TelemetryOptions(ConfigFile file, Map<String, String> env) {
    this.file = file;
    this.env = env;
  }

  static PipelineConfig read(ConfigFile file, Map<String, String> env, Path stateDir) {
    return new TelemetryOptions(file, env).config(stateDir);
  }

  private PipelineConfig config(Path stateDir) {
    PipelineConfig d = PipelineConfig.defaults(stateDir);
    if (!bool("telemetry", true)) {
      return PipelineConfig.disabled(stateDir);
    }
    List<String> bind =
        value("otlp_bind")
            .map(v ->
                Arrays.stream(v.split(",")).map(String::strip).filter(a -> !a.isEmpty()).toList())
            .orElse(d.bindAddresses());
    String spool = value("telemetry_spool").orElse(null);
    return new PipelineConfig(
        true,
        bind,
        integer("otlp_grpc_port", d.grpcPort()),
        integer("otlp_http_port", d.httpPort()),
        (long) integer("telemetry_buffer_mb", (int) (d.bufferMaxBytes() >> 20)) << 20,
        spool == null ? d.spoolDir() : "off".equals(spool) ? null : Path.of(spool),
        value("telemetry_fsync").map(this::fsync).orElse(d.fsync()),
        value("trace_ratio").map(v -> decimal("trace_ratio", v)).orElse(null),
        bool("collect_logs", true),
        bool("collect_host_metrics", true),
        bool("collect_container_metrics", true),
        value("metrics_interval")
            .map(v -> duration("metrics_interval", v))
            .orElse(d.metricsInterval()));
  }

  private Optional<String> value(String key) {
    String fromEnv = env.get(envName(key));
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(fromEnv.strip());
    }
    return file.get(key).map(String::strip).filter(v -> !v.isEmpty());
  }

  private static String envName(String key) {
    return "SYNTRA_" + key.toUpperCase(Locale.ROOT);
  }

  private String where(String key) {
    return key + " (" + envName(key) + ")";
  }

  private boolean bool(String key, boolean fallback) {
    return value(key)
        .map(v ->
            switch (v.toLowerCase(Locale.ROOT)) {
              case "true", "on", "yes" -> true;
              case "false", "off", "no" -> false;
              default ->
                  throw new IllegalArgumentException(where(key) + ": expected on or off, was " + v);
            })
        .orElse(fallback);
  }

  private int integer(String key, int fallback) {
    return value(key)
        .map(v -> {
          try {
            return Integer.parseInt(v);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where(key) + ": expected a whole number, was " + v);
          }
        })
        .orElse(fallback);
  }

  private double decimal(String key, String v) {
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where(key) + ": expected a number from 0 to 1, was " + v);
    }
  }

  private Duration duration(String key, String v) {
    Matcher m = DURATION.matcher(v);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          where(key) + ": expected a duration like 500ms, 10s or 1m, was " + v);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  private FsyncPolicy fsync(String v) {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "always" -> FsyncPolicy.always();
      case "never" -> FsyncPolicy.never();
      default -> {
        Duration period =
            DURATION.matcher(v).matches() ? duration("telemetry_fsync", v) : Duration.ZERO;
        if (period.isZero()) {
          throw new IllegalArgumentException(
              where("telemetry_fsync") + ": expected always, never or a period like 1s, was " + v);
        }
        yield FsyncPolicy.interval(period);
      }
    };
  }
}
