package dev.syntra.server.deploy;

import dev.syntra.server.api.Page;
import dev.syntra.server.auth.Caller;
import dev.syntra.server.auth.Permission;
import dev.syntra.server.db.Tenancy;
import dev.syntra.server.service.Services;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Deployment history (spec §14.2), read-only: deployments are created by the deploy pipeline. Lists
 * are newest first; {@code next_cursor} continues with older deployments.
 */
@RestController
class DeploymentsController {
  private final Tenancy tenancy;
  private final Services services;
  private final Deployments deployments;

  DeploymentsController(Tenancy tenancy, Services services, Deployments deployments) {
    this.tenancy = tenancy;
    this.services = services;
    this.deployments = deployments;
  }

  @GetMapping("/api/v1/services/{serviceId}/deployments")
  Page<DeploymentView> list(
      Caller caller,
      @PathVariable UUID serviceId,
      @RequestParam(required = false) @Nullable Integer limit,
      @RequestParam(required = false) @Nullable String cursor) {
    caller.require(Permission.READ);
    Page.Request page = Page.Request.of(limit, cursor);
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          services.require(h, caller.orgId(), serviceId);
          return Page.of(
              deployments.listNewestFirst(h, caller.orgId(), serviceId, page),
              page,
              DeploymentView::id);
        });
  }

  @GetMapping("/api/v1/deployments/{id}")
  DeploymentView get(Caller caller, @PathVariable UUID id) {
    caller.require(Permission.READ);
    return tenancy.inOrg(
        caller.orgId(), caller.userId(), h -> deployments.require(h, caller.orgId(), id));
  }
}
