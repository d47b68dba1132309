package dev.syntra.server.deploy;

import dev.syntra.protocol.message.ConfigureTelemetryCommand;
import dev.syntra.protocol.message.TelemetrySettings;
import dev.syntra.server.api.JsonBody;
import dev.syntra.server.audit.AuditLog;
import dev.syntra.server.auth.Caller;
import dev.syntra.server.auth.Permission;
import dev.syntra.server.db.Tenancy;
import dev.syntra.server.service.ServiceTelemetry;
import dev.syntra.server.service.TelemetryConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * A service's telemetry configuration: read and replaced over the API, told to its agent ({@code
 * configure_telemetry}) on every change and before every deploy, and the {@code OTEL_*} environment
 * of its deploys.
 */
@Component
class TelemetryConfigs {
  private final Tenancy tenancy;
  private final DeployAccess access;
  private final ServiceTelemetry store;
  private final CommandQueue queue;
  private final OtelInjection operator;

  TelemetryConfigs(
      Tenancy tenancy,
      DeployAccess access,
      ServiceTelemetry store,
      CommandQueue queue,
      Environment environment) {
    this.tenancy = tenancy;
    this.access = access;
    this.store = store;
    this.queue = queue;
    this.operator = OtelInjection.from(environment);
  }

  /** {@code GET /services/{id}/telemetry}. */
  TelemetryView get(Caller caller, UUID serviceId) {
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          access.readable(h, caller, serviceId);
          return TelemetryView.of(
              store.find(h, caller.orgId(), serviceId), operator.enabled(), null);
        });
  }

  /**
   * {@code PUT /services/{id}/telemetry}: replaces the configuration and queues it for the
   * service's agent when it has one (otherwise its next deploy sends it).
   */
  TelemetryView put(Caller caller, Permission permission, UUID serviceId, @Nullable JsonNode json) {
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          DeployAccess.Deployable deployable = access.deployable(h, caller, serviceId, permission);
          TelemetryConfig config = TelemetryRequest.read(JsonBody.of(json));
          store.save(h, caller.orgId(), serviceId, config);
          DeployTarget target = deployable.reachableTarget(h, caller.orgId());
          UUID command = target == null ? null : send(h, caller.orgId(), target, config);
          AuditLog.record(
              h,
              caller,
              "service.telemetry_updated",
              "service",
              serviceId,
              details(config, command));
          return TelemetryView.of(config, operator.enabled(), command);
        });
  }

  /** Queues the service's current settings for {@code target}'s agent (before a deploy). */
  UUID sendCurrent(Handle h, UUID orgId, DeployTarget target) {
    return send(h, orgId, target, store.find(h, orgId, target.service().id()));
  }

  /**
   * {@code env} with the OpenTelemetry variables, unless the operator or the service turned
   * injection off.
   */
  Map<String, String> withOtel(
      Handle h, UUID orgId, DeployTarget target, UUID deploymentId, Map<String, String> env) {
    if (!operator.enabled() || !store.find(h, orgId, target.service().id()).otelInject()) {
      return env;
    }
    var identity =
        new OtelEnvironment.Identity(
            target.service().name(),
            target.service().id(),
            target.service().projectId(),
            deploymentId,
            null);
    return OtelEnvironment.inject(env, identity, target.runtime());
  }

  private UUID send(Handle h, UUID orgId, DeployTarget target, TelemetryConfig config) {
    return queue.send(
        h, orgId, target, null, new ConfigureTelemetryCommand(target.ref(), config.settings()));
  }

  private static Map<String, Object> details(TelemetryConfig config, @Nullable UUID command) {
    TelemetrySettings s = config.settings();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("trace_sample_ratio", s.traceSampleRatio());
    details.put("max_spans_per_second", s.maxSpansPerSecond());
    details.put("max_log_lines_per_second", s.maxLogLinesPerSecond());
    details.put("prometheus_port", s.prometheus() == null ? null : s.prometheus().port());
    details.put("otel_inject", config.otelInject());
    details.put("command_id", command == null ? null : command.toString());
    return details;
  }
}
