package dev.syntra.server.deploy;

import dev.syntra.server.auth.Caller;
import dev.syntra.server.auth.Permission;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * A service's telemetry settings: trace sampling, span and log-line ceilings, Prometheus scrape and
 * the {@code OTEL_*} injection of its deploys. Changing them is a service settings change (WRITE).
 */
@RestController
class TelemetryController {
  private final TelemetryConfigs configs;

  TelemetryController(TelemetryConfigs configs) {
    this.configs = configs;
  }

  @GetMapping("/api/v1/services/{id}/telemetry")
  TelemetryView get(Caller caller, @PathVariable UUID id) {
    caller.require(Permission.READ);
    return configs.get(caller, id);
  }

  @PutMapping("/api/v1/services/{id}/telemetry")
  TelemetryView put(
      Caller caller,
      @PathVariable UUID id,
      @RequestBody(required = false) @Nullable JsonNode json) {
    return configs.put(caller, Permission.WRITE, id, json);
  }
}
