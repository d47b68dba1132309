package dev.syntra.server.service;

import dev.syntra.protocol.runtime.SecurityOptions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A service as the API shows it.
 *
 * @param domains host names the service claims (normalized; each owned by this service alone)
 * @param security how its containers are confined ({@link SecurityOptions#DEFAULTS} unless set)
 */
public record ServiceView(
    UUID id,
    UUID projectId,
    @Nullable UUID serverId,
    String name,
    String type,
    String sourceType,
    @Nullable String image,
    @Nullable String dockerfilePath,
    @Nullable String buildContext,
    @Nullable Integer port,
    @Nullable Publish publish,
    int replicas,
    long cpuMillis,
    long memoryBytes,
    List<String> domains,
    @Nullable HealthCheck healthCheck,
    boolean autoDeploy,
    SecurityOptions security,
    String internalDns,
    Instant createdAt,
    Instant updatedAt) {

  /** Host publishing of the service port, e.g. 127.0.0.1:18080. */
  public record Publish(String hostIp, int hostPort) {}

  /** The HTTP health check the runtime gates traffic on. */
  public record HealthCheck(String path, int intervalMs, int timeoutMs, int retries) {}

  Map<String, Object> event() {
    return Map.of("service_id", id.toString(), "project_id", projectId.toString(), "name", name);
  }
}
