package dev.syntra.server.deploy;

import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.JsonBody;
import dev.syntra.server.auth.Caller;
import dev.syntra.server.auth.Permission;
import dev.syntra.server.fleet.Fleet;
import dev.syntra.server.project.Projects;
import dev.syntra.server.service.ServiceView;
import dev.syntra.server.service.Services;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The order every deploy endpoint follows: find the service (404 for a missing one or another
 * organization's, whatever the body says), then check the permission (with the caller's project
 * role), then read the body, then check the service can be deployed to.
 */
@Component
class DeployAccess {
  private final Services services;
  private final Projects projects;
  private final Fleet fleet;

  DeployAccess(Services services, Projects projects, Fleet fleet) {
    this.services = services;
    this.projects = projects;
    this.fleet = fleet;
  }

  /** A service the caller may deploy, and its reference on the runtime. */
  record Deployable(ServiceView service, ServiceRef ref, Fleet fleet) {
    DeployTarget target(Handle h, UUID orgId) {
      return DeployTarget.of(h, fleet, orgId, service, ref);
    }

    /** The target when the service has a server with a usable agent, else null. */
    @Nullable DeployTarget reachableTarget(Handle h, UUID orgId) {
      try {
        return target(h, orgId);
      } catch (ApiException e) {
        return null;
      }
    }
  }

  ServiceView readable(Handle h, Caller caller, UUID serviceId) {
    return services.require(h, caller.orgId(), serviceId);
  }

  /**
   * The service, after checking the caller holds {@code permission} in its project (found first, so
   * another organization's service answers 404 before any 403).
   */
  Deployable deployable(Handle h, Caller caller, UUID serviceId, Permission permission) {
    ServiceView service = services.require(h, caller.orgId(), serviceId);
    caller.require(permission, projects.roleOverride(h, service.projectId(), caller.userId()));
    String slug = projects.require(h, caller.orgId(), service.projectId()).slug();
    return new Deployable(
        service, RuntimeNames.serviceRef(caller.orgId(), slug, service.name()), fleet);
  }

  /** The request body; an absent body reads as an empty object (every field optional). */
  static JsonBody body(@Nullable JsonNode json) {
    return JsonBody.of(json == null ? JsonNodeFactory.instance.objectNode() : json);
  }
}
