package dev.syntra.server.deploy;

import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.DeployStrategy;
import dev.syntra.protocol.runtime.HealthCheck;
import dev.syntra.protocol.runtime.HostBinding;
import dev.syntra.protocol.runtime.PortMapping;
import dev.syntra.protocol.runtime.ResourceLimits;
import dev.syntra.protocol.runtime.RolloutOptions;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.server.api.ApiException;
import dev.syntra.server.service.ServiceView;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/** Builds the deploy spec of a service's deployment from its stored configuration. */
final class DeploySpecs {
  private DeploySpecs() {}

  /**
   * The spec: ports, host publishing, replicas, limits, domains, health check and confinement
   * (no-new-privileges, capabilities) from the service; {@code env} already resolved (plaintext).
   *
   * @throws ApiException 422 {@code invalid_spec} when the stored configuration cannot be deployed
   */
  static DeploySpec build(
      UUID deploymentId,
      ServiceRef ref,
      ServiceView service,
      String image,
      DeployStrategy strategy,
      @Nullable Integer canaryPercent,
      Map<String, String> env) {
    try {
      DeploySpec.Builder spec =
          DeploySpec.builder(deploymentId.toString(), ref, image)
              .replicas(service.replicas())
              .env(env)
              .limits(new ResourceLimits(service.cpuMillis(), service.memoryBytes()))
              .strategy(strategy)
              .healthCheck(healthCheck(service))
              .security(service.security());
      if (canaryPercent != null) {
        RolloutOptions defaults = RolloutOptions.DEFAULTS;
        spec.rollout(
            new RolloutOptions(defaults.maxSurge(), defaults.maxUnavailable(), canaryPercent));
      }
      if (service.port() != null) {
        ServiceView.Publish publish = service.publish();
        spec.port(
            publish == null
                ? PortMapping.tcp(service.port())
                : PortMapping.tcp(
                    service.port(), new HostBinding(publish.hostIp(), publish.hostPort())));
      }
      service.domains().forEach(spec::domain);
      return spec.build();
    } catch (IllegalArgumentException e) {
      throw new ApiException(
          HttpStatus.UNPROCESSABLE_CONTENT,
          "invalid_spec",
          "the service's configuration cannot be deployed: " + e.getMessage());
    }
  }

  private static @Nullable HealthCheck healthCheck(ServiceView service) {
    ServiceView.HealthCheck check = service.healthCheck();
    if (check == null || service.port() == null) {
      return null;
    }
    return new HealthCheck(
        HealthCheck.Type.HTTP,
        check.path(),
        service.port(),
        Duration.ofMillis(check.intervalMs()),
        Duration.ofMillis(check.timeoutMs()),
        check.retries(),
        Duration.ZERO);
  }
}
