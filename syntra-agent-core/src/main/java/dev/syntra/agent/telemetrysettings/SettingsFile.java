package dev.syntra.agent.telemetrysettings;

import dev.syntra.protocol.message.TelemetrySettings;
import dev.syntra.protocol.message.TelemetrySettings.PrometheusScrape;
import dev.syntra.protocol.runtime.ServiceRef;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON form of {@code telemetry-settings.json}: {@code {"services":[{"service":{…},
 * "settings":{…}}]}} with the field names of the protocol's {@code configure_telemetry}.
 */
final class SettingsFile {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private SettingsFile() {}

  static byte[] write(Map<ServiceRef, TelemetrySettings> settings) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode list = root.putArray("services");
    settings.forEach((service, value) -> {
      ObjectNode entry = list.addObject();
      entry
          .putObject("service")
          .put("organization", service.organization())
          .put("project", service.project())
          .put("service", service.service());
      ObjectNode s =
          entry
              .putObject("settings")
              .put("trace_sample_ratio", value.traceSampleRatio())
              .put("max_spans_per_second", value.maxSpansPerSecond())
              .put("max_log_lines_per_second", value.maxLogLinesPerSecond());
      PrometheusScrape scrape = value.prometheus();
      if (scrape != null) {
        s.putObject("prometheus")
            .put("port", scrape.port())
            .put("path", scrape.path())
            .put("interval_ms", scrape.interval().toMillis())
            .put("timeout_ms", scrape.timeout().toMillis());
      }
    });
    return JSON.writeValueAsBytes(root);
  }

  /**
   * @throws IllegalArgumentException when the content is not what {@link #write} makes
   */
  static Map<ServiceRef, TelemetrySettings> read(byte[] bytes) {
    Map<ServiceRef, TelemetrySettings> out = new LinkedHashMap<>();
    try {
      JsonNode root = JSON.readTree(bytes);
      for (JsonNode entry : root.required("services")) {
        JsonNode service = entry.required("service");
        JsonNode s = entry.required("settings");
        JsonNode p = s.get("prometheus");
        PrometheusScrape scrape =
            p == null || p.isNull()
                ? null
                : new PrometheusScrape(
                    p.required("port").intValue(),
                    p.required("path").stringValue(),
                    Duration.ofMillis(p.required("interval_ms").longValue()),
                    Duration.ofMillis(p.required("timeout_ms").longValue()));
        out.put(
            new ServiceRef(
                service.required("organization").stringValue(),
                service.required("project").stringValue(),
                service.required("service").stringValue()),
            new TelemetrySettings(
                s.required("trace_sample_ratio").doubleValue(),
                s.required("max_spans_per_second").intValue(),
                s.required("max_log_lines_per_second").intValue(),
                scrape));
      }
    } catch (JacksonException e) {
      throw new IllegalArgumentException(e.getOriginalMessage(), e);
    }
    return out;
  }
}
