package dev.syntra.telemetry.enrich;

import java.util.Optional;

/**
 * The agent's knowledge of what it runs, for {@link ResourceEnricher}. The enricher asks by {@code
 * syntra.service.id} if the resource has one, else (or if that finds nothing) by {@code
 * container.id}, else by {@code service.name}. Implementations must be thread-safe and quick (the
 * enricher caches answers per distinct resource).
 */
public interface ServiceDirectory {
  Optional<ServiceIdentity> byServiceId(String serviceId);

  Optional<ServiceIdentity> byContainerId(String containerId);

  Optional<ServiceIdentity> byServiceName(String serviceName);

  /** A directory that knows nothing (only {@code syntra.server.id} gets set). */
  static ServiceDirectory empty() {
    return new ServiceDirectory() {
      @Override
      public Optional<ServiceIdentity> byServiceId(String serviceId) {
        return Optional.empty();
      }

      @Override
      public Optional<ServiceIdentity> byContainerId(String containerId) {
        return Optional.empty();
      }

      @Override
      public Optional<ServiceIdentity> byServiceName(String serviceName) {
        return Optional.empty();
      }
    };
  }
}
