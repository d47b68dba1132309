package dev.syntra.telemetry.sampling;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The per-service states, keyed by {@code service.name} (else {@code syntra.service.id}, else the
 * empty string), bounded: the least recently seen service is forgotten first. Not thread-safe.
 */
final class ServiceLimits {
  static final String SERVICE_NAME = "service.name";
  static final String SERVICE_ID = "syntra.service.id";
  static final int MAX_KEY_CHARS = 256;

  private final LinkedHashMap<String, ServiceState> states;
  private volatile SamplingPolicies policies;

  ServiceLimits(SamplingPolicies policies, int maxServices) {
    this.policies = policies;
    this.states =
        new LinkedHashMap<>(64, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, ServiceState> eldest) {
            return size() > maxServices;
          }
        };
  }

  void update(SamplingPolicies newPolicies) {
    policies = newPolicies;
  }

  /** The state of the service a resource belongs to, with the current policy applied. */
  ServiceState forResource(Resource resource, long nowMillis) {
    String name = null;
    String id = null;
    for (int i = 0, n = resource.getAttributesCount(); i < n; i++) {
      KeyValue kv = resource.getAttributes(i);
      String key = kv.getKey();
      if (SERVICE_NAME.equals(key)) {
        name = kv.getValue().getStringValue();
      } else if (SERVICE_ID.equals(key)) {
        id = kv.getValue().getStringValue();
      }
    }
    String serviceKey = keyOf(name != null ? name : id != null ? id : "");
    ServiceState state = states.get(serviceKey);
    if (state == null) {
      state = new ServiceState();
      states.put(serviceKey, state);
    }
    state.apply(policies.policyFor(id, name), nowMillis);
    state.roll(nowMillis);
    return state;
  }

  /**
   * At most {@value #MAX_KEY_CHARS} characters, copied: the table outlives requests and its keys
   * become metric labels, so a client sending megabyte service names must not have them retained
   * (up to {@code maxServices} of them) or exported.
   */
  private static String keyOf(String service) {
    return service.length() <= MAX_KEY_CHARS ? service : service.substring(0, MAX_KEY_CHARS);
  }

  Map<String, Double> effectiveRatios() {
    Map<String, Double> result = new HashMap<>();
    states.forEach((key, state) -> result.put(key, state.effectiveRatio()));
    return result;
  }
}
