package dev.syntra.telemetry.sampling;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The sampling policies of one agent: defaults plus per-service overrides, as the control plane
 * sends them. JSON: {@code {"defaults": {...}, "services": {"<key>": {...}}}} where each value is a
 * {@link SamplingPolicy}.
 *
 * <p>An override's key is matched against the resource attribute {@code syntra.service.id} first,
 * then against {@code service.name}.
 *
 * @param defaults the policy of every service without an override
 * @param services overrides by service id or service name
 */
public record SamplingPolicies(SamplingPolicy defaults, Map<String, SamplingPolicy> services) {

  public static final SamplingPolicies DEFAULT =
      new SamplingPolicies(SamplingPolicy.DEFAULT, Map.of());

  public SamplingPolicies {
    Objects.requireNonNull(defaults, "defaults");
    services = Map.copyOf(services);
  }

  public static SamplingPolicies of(SamplingPolicy defaults) {
    return new SamplingPolicies(defaults, Map.of());
  }

  /** The policy for a resource with these attribute values (either may be null). */
  public SamplingPolicy policyFor(@Nullable String serviceId, @Nullable String serviceName) {
    if (!services.isEmpty()) {
      SamplingPolicy byId = serviceId == null ? null : services.get(serviceId);
      if (byId != null) {
        return byId;
      }
      SamplingPolicy byName = serviceName == null ? null : services.get(serviceName);
      if (byName != null) {
        return byName;
      }
    }
    return defaults;
  }
}
