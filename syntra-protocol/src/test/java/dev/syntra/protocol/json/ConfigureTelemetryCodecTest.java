package dev.syntra.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.syntra.protocol.ProtocolErrorCode;
import dev.syntra.protocol.ProtocolException;
import dev.syntra.protocol.Samples;
import dev.syntra.protocol.message.ConfigureTelemetryCommand;
import dev.syntra.protocol.message.MessageType;
import dev.syntra.protocol.message.TelemetrySettings;
import dev.syntra.protocol.message.TelemetrySettings.PrometheusScrape;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Decoding and validation of {@code configure_telemetry}. */
class ConfigureTelemetryCodecTest {
  private final MessageCodec codec = MessageCodec.create();

  private String sample() {
    return codec.encode(Samples.envelope(Samples.messages().get(MessageType.CONFIGURE_TELEMETRY)));
  }

  private ConfigureTelemetryCommand decode(String json) {
    return (ConfigureTelemetryCommand) codec.decode(json).payload();
  }

  private ProtocolException error(String json, ProtocolErrorCode code, String path) {
    ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> codec.decode(json));
    assertThat(e).as("decoding should fail").isNotNull();
    assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
    assertThat(e.path()).as(e.getMessage()).isEqualTo(path);
    return e;
  }

  @Test
  void scrapeDefaultsApplyWhenOnlyThePortIsGiven() {
    String json =
        sample()
            .replace(
                "\"prometheus\":{\"port\":9464,\"path\":\"/metrics\",\"interval_ms\":15000,"
                    + "\"timeout_ms\":10000}",
                "\"prometheus\":{\"port\":9464}");
    assertThat(decode(json).settings().prometheus()).isEqualTo(PrometheusScrape.onPort(9464));
  }

  @Test
  void shortIntervalDefaultsTheTimeoutToTheInterval() {
    String json =
        sample()
            .replace("\"interval_ms\":15000,\"timeout_ms\":10000", "\"interval_ms\":2000")
            .replace("\"path\":\"/metrics\",", "");
    PrometheusScrape scrape = decode(json).settings().prometheus();
    assertThat(scrape.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(scrape.path()).isEqualTo("/metrics");
  }

  @Test
  void noScrapeWhenPrometheusIsAbsent() {
    String json = sample().replaceAll(",\"prometheus\":\\{[^}]*}", "");
    assertThat(decode(json).settings().prometheus()).isNull();
  }

  @Test
  void refusesARatioOutsideZeroToOne() {
    ProtocolException e =
        error(
            sample().replace("\"trace_sample_ratio\":0.25", "\"trace_sample_ratio\":1.5"),
            ProtocolErrorCode.INVALID_FIELD,
            "$.payload.settings.trace_sample_ratio");
    assertThat(e.getMessage()).contains("between 0 and 1");
    error(
        sample().replace("\"trace_sample_ratio\":0.25", "\"trace_sample_ratio\":\"all\""),
        ProtocolErrorCode.INVALID_FIELD,
        "$.payload.settings.trace_sample_ratio");
  }

  @Test
  void refusesRatesOutOfRange() {
    error(
        sample().replace("\"max_spans_per_second\":2000", "\"max_spans_per_second\":0"),
        ProtocolErrorCode.INVALID_FIELD,
        "$.payload.settings.max_spans_per_second");
    error(
        sample()
            .replace("\"max_log_lines_per_second\":500", "\"max_log_lines_per_second\":1000001"),
        ProtocolErrorCode.INVALID_FIELD,
        "$.payload.settings.max_log_lines_per_second");
    error(
        sample().replace("\"max_spans_per_second\":2000,", ""),
        ProtocolErrorCode.MISSING_FIELD,
        "$.payload.settings.max_spans_per_second");
  }

  @Test
  void refusesBadScrapeSettingsAtTheirPath() {
    error(
        sample().replace("\"interval_ms\":15000", "\"interval_ms\":999"),
        ProtocolErrorCode.INVALID_FIELD,
        "$.payload.settings.prometheus.interval_ms");
    ProtocolException e =
        error(
            sample().replace("\"timeout_ms\":10000", "\"timeout_ms\":20000"),
            ProtocolErrorCode.INVALID_FIELD,
            "$.payload.settings.prometheus.timeout_ms");
    assertThat(e.getMessage()).contains("interval_ms (15000)");
    error(
        sample().replace("\"path\":\"/metrics\"", "\"path\":\"metrics\""),
        ProtocolErrorCode.INVALID_FIELD,
        "$.payload.settings.prometheus.path");
    error(
        sample().replace("\"path\":\"/metrics\"", "\"path\":\"/a b\""),
        ProtocolErrorCode.INVALID_FIELD,
        "$.payload.settings.prometheus.path");
    error(
        sample().replace("\"path\":\"/metrics\"", "\"path\":\"/" + "x".repeat(1024) + "\""),
        ProtocolErrorCode.INVALID_FIELD,
        "$.payload.settings.prometheus.path");
    error(
        sample().replace("\"port\":9464", "\"port\":0"),
        ProtocolErrorCode.INVALID_FIELD,
        "$.payload.settings.prometheus.port");
  }

  @Test
  void refusesAMissingSettingsObject() {
    error(
        sample().replaceAll(",\"settings\":\\{.*}}}$", "}}"),
        ProtocolErrorCode.MISSING_FIELD,
        "$.payload.settings");
  }

  @Test
  void defaultsAreValid() {
    assertThat(TelemetrySettings.DEFAULTS.traceSampleRatio()).isEqualTo(1.0);
    assertThat(TelemetrySettings.DEFAULTS.prometheus()).isNull();
  }
}
