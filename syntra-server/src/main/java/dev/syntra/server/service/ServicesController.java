package dev.syntra.server.service;

import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.JsonBody;
import dev.syntra.server.api.Page;
import dev.syntra.server.audit.AuditLog;
import dev.syntra.server.auth.Caller;
import dev.syntra.server.auth.Permission;
import dev.syntra.server.db.Ids;
import dev.syntra.server.db.Tenancy;
import dev.syntra.server.event.Events;
import dev.syntra.server.fleet.Fleet;
import dev.syntra.server.project.ProjectView;
import dev.syntra.server.project.Projects;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Services CRUD under projects (spec §14.2). */
@RestController
class ServicesController {
  private final Tenancy tenancy;
  private final Projects projects;
  private final Services services;
  private final Clock clock;
  private final List<ServiceChangeListener> listeners;
  private final Events events;
  private final Fleet fleet;
  private final DomainClaims claims;
  private final PrivilegedChanges privileged;

  ServicesController(
      Tenancy tenancy,
      Projects projects,
      Services services,
      Clock clock,
      List<ServiceChangeListener> listeners,
      Events events,
      Fleet fleet,
      DomainClaims claims,
      PrivilegedChanges privileged) {
    this.fleet = fleet;
    this.events = events;
    this.listeners = listeners;
    this.claims = claims;
    this.privileged = privileged;
    this.tenancy = tenancy;
    this.projects = projects;
    this.services = services;
    this.clock = clock;
  }

  @GetMapping("/api/v1/projects/{projectId}/services")
  Page<ServiceView> list(
      Caller caller,
      @PathVariable UUID projectId,
      @RequestParam(required = false) @Nullable Integer limit,
      @RequestParam(required = false) @Nullable String cursor) {
    caller.require(Permission.READ);
    Page.Request page = Page.Request.of(limit, cursor);
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          projects.require(h, caller.orgId(), projectId);
          return Page.of(services.list(h, caller.orgId(), projectId, page), page, ServiceView::id);
        });
  }

  @PostMapping("/api/v1/projects/{projectId}/services")
  ResponseEntity<ServiceView> create(
      Caller caller, @PathVariable UUID projectId, @RequestBody(required = false) JsonNode json) {
    UUID id = Ids.next();
    ServiceView created =
        tenancy.inOrg(
            caller.orgId(),
            caller.userId(),
            h -> {
              // Find the project before reading the body: another organization's project is a
              // 404 whatever the body says, so answers never reveal which ids exist.
              ProjectView project = projects.require(h, caller.orgId(), projectId);
              caller.require(
                  Permission.WRITE, projects.roleOverride(h, projectId, caller.userId()));
              JsonBody body = JsonBody.of(json);
              if (!body.has("name")) {
                body.reject("name", "is required");
              }
              ServiceConfig config = ServiceConfig.read(body, ServiceConfig.defaults(""));
              body.validate();
              privileged.check(caller, null, config);
              checkReferences(h, caller.orgId(), projectId, config, null);
              ServiceView service =
                  services.insert(h, id, caller.orgId(), projectId, project.slug(), config);
              claims.claim(h, caller.orgId(), id, config.domains());
              AuditLog.record(
                  h,
                  caller,
                  "service.created",
                  "service",
                  id,
                  Map.of("project_id", projectId.toString(), "name", config.name()));
              events.emit(h, caller.orgId(), "service.created", service.event(), clock.instant());
              return service;
            });
    return ResponseEntity.created(URI.create("/api/v1/services/" + id)).body(created);
  }

  @GetMapping("/api/v1/services/{id}")
  ServiceView get(Caller caller, @PathVariable UUID id) {
    caller.require(Permission.READ);
    return tenancy.inOrg(
        caller.orgId(), caller.userId(), h -> services.require(h, caller.orgId(), id));
  }

  @PatchMapping("/api/v1/services/{id}")
  ServiceView update(
      Caller caller, @PathVariable UUID id, @RequestBody(required = false) JsonNode json) {
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          ServiceView current = services.require(h, caller.orgId(), id);
          caller.require(
              Permission.WRITE, projects.roleOverride(h, current.projectId(), caller.userId()));
          JsonBody body = JsonBody.of(json);
          ServiceConfig before = Services.configOf(current);
          ServiceConfig config = ServiceConfig.read(body, before);
          body.validate();
          privileged.check(caller, before, config);
          checkReferences(h, caller.orgId(), current.projectId(), config, id);
          ProjectView project = projects.require(h, caller.orgId(), current.projectId());
          ServiceView updated = services.update(h, caller.orgId(), id, project.slug(), config);
          claims.claim(h, caller.orgId(), id, config.domains());
          listeners.forEach(l -> l.updated(h, caller.orgId(), current, updated, project.slug()));
          AuditLog.record(
              h, caller, "service.updated", "service", id, Map.of("name", config.name()));
          events.emit(h, caller.orgId(), "service.updated", updated.event(), clock.instant());
          return updated;
        });
  }

  @DeleteMapping("/api/v1/services/{id}")
  ResponseEntity<Void> delete(Caller caller, @PathVariable UUID id) {
    tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          ServiceView service = services.require(h, caller.orgId(), id);
          caller.require(
              Permission.WRITE, projects.roleOverride(h, service.projectId(), caller.userId()));
          String slug = projects.require(h, caller.orgId(), service.projectId()).slug();
          listeners.forEach(l -> l.beforeDelete(h, caller.orgId(), service, slug));
          services.delete(h, caller.orgId(), id);
          AuditLog.record(
              h, caller, "service.deleted", "service", id, Map.of("name", service.name()));
          events.emit(h, caller.orgId(), "service.deleted", service.event(), clock.instant());
          return null;
        });
    return ResponseEntity.noContent().build();
  }

  private void checkReferences(
      Handle h, UUID orgId, UUID projectId, ServiceConfig config, @Nullable UUID self) {
    if (services.nameTaken(h, projectId, config.name(), self)) {
      throw ApiException.conflict(
          "the project already has a service named '" + config.name() + "'");
    }
    UUID serverId = config.serverId();
    if (serverId != null && !fleet.exists(h, orgId, serverId)) {
      throw ApiException.invalid("$.server_id", "is not a server of this organization");
    }
    if (serverId != null && !fleet.acceptsServices(h, orgId, serverId)) {
      throw ApiException.invalid("$.server_id", "the server is being deleted");
    }
  }
}
