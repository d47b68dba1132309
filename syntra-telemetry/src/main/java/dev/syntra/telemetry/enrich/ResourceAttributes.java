package dev.syntra.telemetry.enrich;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Computes the enriched form of one resource (pure; the cache in front makes it cheap): adds the
 * Syntra attributes the app did not set, and always sets {@code syntra.server.id} to the agent's.
 */
final class ResourceAttributes {
  static final String SERVICE_ID = "syntra.service.id";
  static final String SERVER_ID = "syntra.server.id";
  static final String DEPLOYMENT_ID = "syntra.deployment.id";
  static final String ENVIRONMENT = "deployment.environment";
  static final String CONTAINER_ID = "container.id";
  static final String SERVICE_NAME = "service.name";

  private final ServiceDirectory directory;
  private final Supplier<String> serverIds;

  ResourceAttributes(ServiceDirectory directory, Supplier<String> serverIds) {
    this.directory = directory;
    this.serverIds = serverIds;
  }

  /** The enriched resource, or {@code resource} itself when nothing changes. */
  Resource enrich(Resource resource) {
    String serverId = serverIds.get();
    if (serverId == null || serverId.isBlank()) {
      serverId = null; // not registered yet: nothing to set, an app's claim is still removed
    }
    String serviceId = null;
    String containerId = null;
    String serviceName = null;
    boolean hasDeployment = false;
    boolean hasEnvironment = false;
    boolean serverIdRight = false;
    boolean serverIdWrong = false;
    for (KeyValue kv : resource.getAttributesList()) {
      switch (kv.getKey()) {
        case SERVICE_ID -> serviceId = kv.getValue().getStringValue();
        case CONTAINER_ID -> containerId = kv.getValue().getStringValue();
        case SERVICE_NAME -> serviceName = kv.getValue().getStringValue();
        case DEPLOYMENT_ID -> hasDeployment = true;
        case ENVIRONMENT -> hasEnvironment = true;
        case SERVER_ID -> {
          if (isOurServer(kv.getValue(), serverId)) {
            serverIdRight = true;
          } else {
            serverIdWrong = true;
          }
        }
        default -> {}
      }
    }
    ServiceIdentity identity = lookup(serviceId, containerId, serviceName);
    boolean changes =
        serverIdWrong
            || (!serverIdRight && serverId != null)
            || (identity != null
                && (serviceId == null
                    || (!hasDeployment && identity.deploymentId() != null)
                    || (!hasEnvironment && identity.environment() != null)
                    || (serviceName == null && identity.serviceName() != null)));
    if (!changes) {
      return resource;
    }
    Resource.Builder out = resource.toBuilder();
    if (serverIdWrong) {
      out.clearAttributes();
      for (KeyValue kv : resource.getAttributesList()) {
        if (!SERVER_ID.equals(kv.getKey())) {
          out.addAttributes(kv);
        }
      }
    }
    if (serverId != null) {
      out.addAttributes(string(SERVER_ID, serverId));
    }
    if (identity != null) {
      addIfMissing(out, serviceId == null, SERVICE_ID, identity.serviceId());
      addIfMissing(out, !hasDeployment, DEPLOYMENT_ID, identity.deploymentId());
      addIfMissing(out, !hasEnvironment, ENVIRONMENT, identity.environment());
      addIfMissing(out, serviceName == null, SERVICE_NAME, identity.serviceName());
    }
    return out.build();
  }

  private static boolean isOurServer(AnyValue value, @Nullable String serverId) {
    return serverId != null
        && value.getValueCase() == AnyValue.ValueCase.STRING_VALUE
        && serverId.equals(value.getStringValue());
  }

  private @Nullable ServiceIdentity lookup(
      @Nullable String serviceId, @Nullable String containerId, @Nullable String serviceName) {
    Optional<ServiceIdentity> found = Optional.empty();
    if (serviceId != null && !serviceId.isEmpty()) {
      found = directory.byServiceId(serviceId);
    }
    if (found.isEmpty() && containerId != null && !containerId.isEmpty()) {
      found = directory.byContainerId(containerId);
    }
    if (found.isEmpty() && serviceName != null && !serviceName.isEmpty()) {
      found = directory.byServiceName(serviceName);
    }
    return found.orElse(null);
  }

  private static void addIfMissing(
      Resource.Builder out, boolean missing, String key, @Nullable String value) {
    if (missing && value != null) {
      out.addAttributes(string(key, value));
    }
  }

  private static KeyValue string(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }
}
