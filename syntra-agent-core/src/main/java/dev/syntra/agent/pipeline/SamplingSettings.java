package dev.syntra.agent.pipeline;

import dev.syntra.protocol.message.TelemetrySettings;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.telemetry.sampling.SamplingPolicies;
import dev.syntra.telemetry.sampling.SamplingPolicy;
import dev.syntra.telemetry.sampling.TelemetrySampler;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns the control plane's per-service {@code configure_telemetry} settings and the session's
 * default trace ratio into the sampler's policies. A service's policy is keyed by its Syntra
 * service id when the agent knows it (from the deploy spec), else by its name, which is what {@code
 * service.name} carries for the apps Syntra deploys. Thread-safe.
 */
final class SamplingSettings {
  private final TelemetrySampler sampler;
  private final ServiceCatalog catalog;
  private final @Nullable Double configuredRatio;
  private final Map<ServiceRef, TelemetrySettings> services = new LinkedHashMap<>();
  private double sessionRatio = 1.0;

  SamplingSettings(TelemetrySampler sampler, ServiceCatalog catalog, @Nullable Double ratio) {
    this.sampler = sampler;
    this.catalog = catalog;
    this.configuredRatio = ratio;
    apply();
  }

  /** The control plane's default ratio; used unless the agent's own setting names one. */
  synchronized void sessionRatio(double ratio) {
    if (ratio != sessionRatio) {
      sessionRatio = ratio;
      apply();
    }
  }

  synchronized void serviceSettings(ServiceRef service, TelemetrySettings settings) {
    services.put(service, settings);
    apply();
  }

  private void apply() {
    double ratio = configuredRatio != null ? configuredRatio : sessionRatio;
    SamplingPolicy defaults = SamplingPolicy.DEFAULT.withTraceRatio(ratio);
    Map<String, SamplingPolicy> byKey = new LinkedHashMap<>();
    services.forEach((service, s) -> {
      SamplingPolicy policy =
          defaults
              .withTraceRatio(s.traceSampleRatio())
              .withMaxSpansPerSecond(s.maxSpansPerSecond())
              .withLogLimit(
                  s.maxLogLinesPerSecond(),
                  Math.max(s.maxLogLinesPerSecond(), defaults.logBurstLines()));
      String key = catalog.identity(service).map(i -> i.serviceId()).orElse(service.service());
      byKey.put(key, policy);
    });
    sampler.updatePolicies(new SamplingPolicies(defaults, byKey));
  }
}
