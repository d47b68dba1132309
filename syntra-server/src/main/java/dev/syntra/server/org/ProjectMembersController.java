package dev.syntra.server.org;

import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.JsonBody;
import dev.syntra.server.api.Page;
import dev.syntra.server.audit.AuditLog;
import dev.syntra.server.auth.Caller;
import dev.syntra.server.auth.Permission;
import dev.syntra.server.auth.Role;
import dev.syntra.server.db.Tenancy;
import dev.syntra.server.event.Events;
import dev.syntra.server.project.Projects;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Per-project role overrides (spec §13.3): a member may be a viewer in the organization but a
 * developer in one project. Anyone may read them; setting and removing them needs the admin
 * permission in that project. Owners and admins keep their role everywhere, so they get none.
 */
@RestController
@RequestMapping("/api/v1/projects/{projectId}/members")
class ProjectMembersController {
  private final Tenancy tenancy;
  private final Projects projects;
  private final Members members;
  private final ProjectMembers overrides;
  private final Clock clock;
  private final Events events;

  ProjectMembersController(
      Tenancy tenancy,
      Projects projects,
      Members members,
      ProjectMembers overrides,
      Clock clock,
      Events events) {
    this.events = events;
    this.tenancy = tenancy;
    this.projects = projects;
    this.members = members;
    this.overrides = overrides;
    this.clock = clock;
  }

  @GetMapping
  Page<ProjectMemberView> list(
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
          return Page.of(
              overrides.list(h, caller.orgId(), projectId, page), page, ProjectMemberView::userId);
        });
  }

  @GetMapping("/{userId}")
  ProjectMemberView get(Caller caller, @PathVariable UUID projectId, @PathVariable UUID userId) {
    caller.require(Permission.READ);
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          projects.require(h, caller.orgId(), projectId);
          return requireOverride(h, caller.orgId(), projectId, userId);
        });
  }

  @PutMapping("/{userId}")
  ResponseEntity<ProjectMemberView> put(
      Caller caller,
      @PathVariable UUID projectId,
      @PathVariable UUID userId,
      @RequestBody(required = false) JsonNode json) {
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          projects.require(h, caller.orgId(), projectId);
          MemberView member = members.require(h, caller.orgId(), userId);
          // Overrides are granted by organization admins only (a project-level admin may not hand
          // out project admin), and an admin override only by an owner, as for organization roles.
          caller.require(Permission.ADMIN);
          JsonBody body = JsonBody.of(json);
          String roleName = body.oneOf("role", true, RoleRules.INVITABLE);
          body.validate();
          if (Role.ADMIN.wireName().equals(roleName)) {
            RoleRules.checkMayGrantAdmin(caller);
          }
          if (Members.roleOf(member).atLeast(Role.ADMIN)) {
            throw ApiException.conflict(
                "owners and admins keep their role in every project; change their organization"
                    + " role instead");
          }
          Role role = Role.fromWireName(roleName).orElseThrow();
          boolean created = overrides.put(h, caller.orgId(), projectId, userId, role);
          ProjectMemberView view = requireOverride(h, caller.orgId(), projectId, userId);
          record(h, caller, "project_member.updated", view, roleName);
          return created
              ? ResponseEntity.created(
                      URI.create("/api/v1/projects/" + projectId + "/members/" + userId))
                  .body(view)
              : ResponseEntity.status(HttpStatus.OK).body(view);
        });
  }

  @DeleteMapping("/{userId}")
  ResponseEntity<Void> delete(
      Caller caller, @PathVariable UUID projectId, @PathVariable UUID userId) {
    tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          projects.require(h, caller.orgId(), projectId);
          caller.require(Permission.ADMIN);
          ProjectMemberView view = requireOverride(h, caller.orgId(), projectId, userId);
          overrides.delete(h, caller.orgId(), projectId, userId);
          record(h, caller, "project_member.removed", view, null);
          return null;
        });
    return ResponseEntity.noContent().build();
  }

  private ProjectMemberView requireOverride(Handle h, UUID orgId, UUID projectId, UUID userId) {
    return overrides
        .find(h, orgId, projectId, userId)
        .orElseThrow(() -> ApiException.notFound("project member"));
  }

  /** Audits the change and tells webhooks the member's role changed in one project. */
  private void record(
      Handle h, Caller caller, String action, ProjectMemberView view, @Nullable String role) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("user_id", view.userId().toString());
    data.put("project_id", view.projectId().toString());
    data.put("role", view.orgRole());
    data.put("project_role", role);
    AuditLog.record(h, caller, action, "project_member", view.userId(), data);
    events.emit(h, caller.orgId(), "member.updated", data, clock.instant());
  }
}
