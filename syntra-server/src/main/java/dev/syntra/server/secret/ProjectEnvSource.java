package dev.syntra.server.secret;

import dev.syntra.server.service.Services;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * The variables of one project and its services, read and decrypted only when a reference needs
 * them (a service referring to nobody decrypts only its own and its project's variables). Lives for
 * one resolution, inside its transaction.
 */
final class ProjectEnvSource implements EnvResolver.Source {
  private final Handle h;
  private final UUID orgId;
  private final UUID projectId;
  private final EnvVars envVars;
  private final Map<String, Services.Sibling> services = new HashMap<>();
  private final Map<String, Map<String, String>> serviceVars = new HashMap<>();
  private @Nullable Map<String, String> projectVars;

  ProjectEnvSource(
      Handle h, UUID orgId, UUID projectId, EnvVars envVars, List<Services.Sibling> siblings) {
    this.h = h;
    this.orgId = orgId;
    this.projectId = projectId;
    this.envVars = envVars;
    siblings.forEach(sibling -> services.put(sibling.name(), sibling));
  }

  @Override
  public Map<String, String> projectVars() {
    if (projectVars == null) {
      projectVars = envVars.values(h, orgId, EnvScope.project(projectId));
    }
    return projectVars;
  }

  @Override
  public @Nullable Map<String, String> serviceVars(String name) {
    Services.Sibling sibling = services.get(name);
    if (sibling == null) {
      return null;
    }
    return serviceVars.computeIfAbsent(
        name, n -> envVars.values(h, orgId, EnvScope.service(sibling.id(), projectId)));
  }

  @Override
  public @Nullable String internalDns(String name) {
    Services.Sibling sibling = services.get(name);
    return sibling == null ? null : sibling.internalDns();
  }
}
