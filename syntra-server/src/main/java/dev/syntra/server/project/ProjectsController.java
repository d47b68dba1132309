package dev.syntra.server.project;

import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.JsonBody;
import dev.syntra.server.api.Page;
import dev.syntra.server.api.Slugs;
import dev.syntra.server.audit.AuditLog;
import dev.syntra.server.auth.Caller;
import dev.syntra.server.auth.Permission;
import dev.syntra.server.db.Ids;
import dev.syntra.server.db.Tenancy;
import dev.syntra.server.event.Events;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Projects CRUD (spec §14.2). Deleting a project deletes its services, env vars and history, and
 * queues a stop of each service on its server; changing the slug stops the services under their old
 * runtime names (deploy them again to run them under the new one).
 */
@RestController
@RequestMapping("/api/v1/projects")
class ProjectsController {
  private final Tenancy tenancy;
  private final Projects projects;
  private final Clock clock;
  private final Events events;
  private final List<ProjectChangeListener> listeners;

  ProjectsController(
      Tenancy tenancy,
      Projects projects,
      Clock clock,
      Events events,
      List<ProjectChangeListener> listeners) {
    this.events = events;
    this.tenancy = tenancy;
    this.projects = projects;
    this.clock = clock;
    this.listeners = listeners;
  }

  @GetMapping
  Page<ProjectView> list(
      Caller caller,
      @RequestParam(required = false) @Nullable Integer limit,
      @RequestParam(required = false) @Nullable String cursor) {
    caller.require(Permission.READ);
    Page.Request page = Page.Request.of(limit, cursor);
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> Page.of(projects.list(h, caller.orgId(), page), page, ProjectView::id));
  }

  @PostMapping
  ResponseEntity<ProjectView> create(Caller caller, @RequestBody(required = false) JsonNode json) {
    caller.require(Permission.WRITE);
    JsonBody body = JsonBody.of(json);
    String name = body.string("name", true, 100);
    String slug = body.string("slug", false, Slugs.LABEL, Slugs.RULE);
    String description = body.string("description", false, 2000);
    String repo = body.string("git_repo_url", false, 500);
    String branch = body.string("git_branch", false, 200);
    if (name != null && slug == null && !body.has("slug") && Slugs.from(name).isEmpty()) {
      body.reject("name", "must contain letters or digits to derive a slug (or give 'slug')");
    }
    body.validate();
    String finalSlug = slug != null ? slug : Slugs.from(name);
    UUID id = Ids.next();
    ProjectView created =
        tenancy.inOrg(
            caller.orgId(),
            caller.userId(),
            h -> {
              if (projects.slugTaken(h, caller.orgId(), finalSlug, null)) {
                throw ApiException.conflict("a project with slug '" + finalSlug + "' exists");
              }
              ProjectView project =
                  projects.insert(
                      h,
                      id,
                      caller.orgId(),
                      name,
                      finalSlug,
                      description == null ? "" : description,
                      repo,
                      branch);
              AuditLog.record(
                  h, caller, "project.created", "project", id, Map.of("slug", finalSlug));
              events.emit(h, caller.orgId(), "project.created", project.event(), clock.instant());
              return project;
            });
    return ResponseEntity.created(URI.create("/api/v1/projects/" + id)).body(created);
  }

  @GetMapping("/{id}")
  ProjectView get(Caller caller, @PathVariable UUID id) {
    caller.require(Permission.READ);
    return tenancy.inOrg(
        caller.orgId(), caller.userId(), h -> projects.require(h, caller.orgId(), id));
  }

  @PatchMapping("/{id}")
  ProjectView update(
      Caller caller, @PathVariable UUID id, @RequestBody(required = false) JsonNode json) {
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          ProjectView before = projects.require(h, caller.orgId(), id);
          caller.require(Permission.WRITE, projects.roleOverride(h, id, caller.userId()));
          JsonBody body = JsonBody.of(json);
          Map<String, Object> changes = new LinkedHashMap<>();
          putIfPresent(body, changes, "name", body.string("name", false, 100));
          putIfPresent(body, changes, "slug", body.string("slug", false, Slugs.LABEL, Slugs.RULE));
          putIfPresent(body, changes, "description", body.string("description", false, 2000));
          putIfPresent(body, changes, "git_repo_url", body.string("git_repo_url", false, 500));
          putIfPresent(body, changes, "git_branch", body.string("git_branch", false, 200));
          body.validate();
          Object slug = changes.get("slug");
          if (slug != null && projects.slugTaken(h, caller.orgId(), (String) slug, id)) {
            throw ApiException.conflict("a project with slug '" + slug + "' exists");
          }
          ProjectView updated = projects.update(h, caller.orgId(), id, changes);
          if (!updated.slug().equals(before.slug())) {
            listeners.forEach(l -> l.slugChanged(h, caller.orgId(), updated, before.slug()));
          }
          AuditLog.record(
              h, caller, "project.updated", "project", id, Map.of("fields", changes.keySet()));
          events.emit(h, caller.orgId(), "project.updated", updated.event(), clock.instant());
          return updated;
        });
  }

  @DeleteMapping("/{id}")
  ResponseEntity<Void> delete(Caller caller, @PathVariable UUID id) {
    tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          ProjectView project = projects.require(h, caller.orgId(), id);
          caller.require(Permission.ADMIN, projects.roleOverride(h, id, caller.userId()));
          listeners.forEach(l -> l.beforeDelete(h, caller.orgId(), project));
          projects.delete(h, caller.orgId(), id);
          AuditLog.record(
              h, caller, "project.deleted", "project", id, Map.of("slug", project.slug()));
          events.emit(h, caller.orgId(), "project.deleted", project.event(), clock.instant());
          return null;
        });
    return ResponseEntity.noContent().build();
  }

  /** PATCH semantics: absent or null fields are left unchanged. */
  private static void putIfPresent(
      JsonBody body, Map<String, Object> changes, String field, @Nullable Object value) {
    if (body.has(field) && value != null) {
      changes.put(field, value);
    }
  }
}
