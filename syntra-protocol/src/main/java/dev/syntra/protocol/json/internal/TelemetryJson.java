package dev.syntra.protocol.json.internal;

import dev.syntra.protocol.message.TelemetrySettings;
import dev.syntra.protocol.message.TelemetrySettings.PrometheusScrape;
import java.time.Duration;

/** JSON mapping of the {@code settings} of {@code configure_telemetry}. */
final class TelemetryJson {
  private TelemetryJson() {}

  static TelemetrySettings settings(JsonIn in) {
    double ratio = in.number("trace_sample_ratio");
    int spans = in.int32("max_spans_per_second");
    int logLines = in.int32("max_log_lines_per_second");
    JsonIn scrapeIn = in.optObject("prometheus");
    PrometheusScrape scrape = scrapeIn == null ? null : prometheus(scrapeIn);
    return in.build(() -> new TelemetrySettings(ratio, spans, logLines, scrape));
  }

  static void settings(TelemetrySettings settings, JsonOut out) {
    out.number("trace_sample_ratio", settings.traceSampleRatio())
        .int64("max_spans_per_second", settings.maxSpansPerSecond())
        .int64("max_log_lines_per_second", settings.maxLogLinesPerSecond())
        .object("prometheus", settings.prometheus(), TelemetryJson::prometheus);
  }

  private static PrometheusScrape prometheus(JsonIn in) {
    int port = in.int32("port");
    String path = in.has("path") ? in.string("path") : PrometheusScrape.DEFAULT_PATH;
    Duration interval = in.millis("interval_ms", PrometheusScrape.DEFAULT_INTERVAL);
    Duration timeout = in.millis("timeout_ms", PrometheusScrape.defaultTimeout(interval));
    return in.build(() -> new PrometheusScrape(port, path, interval, timeout));
  }

  private static void prometheus(PrometheusScrape scrape, JsonOut out) {
    out.int64("port", scrape.port())
        .string("path", scrape.path())
        .millis("interval_ms", scrape.interval())
        .millis("timeout_ms", scrape.timeout());
  }
}
