package dev.syntra.telemetry.enrich;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the agent knows about the service a resource belongs to.
 *
 * @param serviceId Syntra's service id, set as {@code syntra.service.id}
 * @param deploymentId the running deployment, set as {@code syntra.deployment.id}; null if unknown
 * @param environment the environment name, set as {@code deployment.environment}; null if unknown
 * @param serviceName the service's name, set as {@code service.name} only when the resource has
 *     none (container logs and scraped metrics); null to leave it
 */
public record ServiceIdentity(
    String serviceId,
    @Nullable String deploymentId,
    @Nullable String environment,
    @Nullable String serviceName) {
  public ServiceIdentity {
    Objects.requireNonNull(serviceId, "serviceId");
  }
}
