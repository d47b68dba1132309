package dev.syntra.server.org;

import dev.syntra.server.api.JsonBody;
import dev.syntra.server.api.Page;
import dev.syntra.server.audit.AuditLog;
import dev.syntra.server.auth.Caller;
import dev.syntra.server.auth.Permission;
import dev.syntra.server.auth.Role;
import dev.syntra.server.db.Tenancy;
import dev.syntra.server.event.Events;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Members of the caller's organization: anyone may list them; admins change roles and remove
 * members under {@link RoleRules}. Removing a member also revokes their tokens here.
 */
@RestController
@RequestMapping("/api/v1/organizations/{organizationId}/members")
class MembersController {
  private final Tenancy tenancy;
  private final Organizations organizations;
  private final Members members;
  private final Clock clock;
  private final Events events;

  MembersController(
      Tenancy tenancy, Organizations organizations, Members members, Clock clock, Events events) {
    this.events = events;
    this.tenancy = tenancy;
    this.organizations = organizations;
    this.members = members;
    this.clock = clock;
  }

  @GetMapping
  Page<MemberView> list(
      Caller caller,
      @PathVariable("organizationId") UUID orgId,
      @RequestParam(required = false) @Nullable Integer limit,
      @RequestParam(required = false) @Nullable String cursor) {
    caller.require(Permission.READ);
    OwnOrganization.require(caller, orgId);
    Page.Request page = Page.Request.of(limit, cursor);
    return tenancy.inOrg(
        orgId,
        caller.userId(),
        h -> Page.of(members.list(h, orgId, page), page, MemberView::userId));
  }

  @GetMapping("/{userId}")
  MemberView get(
      Caller caller, @PathVariable("organizationId") UUID orgId, @PathVariable UUID userId) {
    caller.require(Permission.READ);
    OwnOrganization.require(caller, orgId);
    return tenancy.inOrg(orgId, caller.userId(), h -> members.require(h, orgId, userId));
  }

  @PatchMapping("/{userId}")
  MemberView update(
      Caller caller,
      @PathVariable("organizationId") UUID orgId,
      @PathVariable UUID userId,
      @RequestBody(required = false) JsonNode json) {
    OwnOrganization.require(caller, orgId);
    return tenancy.inOrg(
        orgId,
        caller.userId(),
        h -> {
          organizations.lock(h, orgId);
          MemberView member = members.require(h, orgId, userId);
          caller.require(Permission.ADMIN);
          JsonBody body = JsonBody.of(json);
          String roleName = body.oneOf("role", true, RoleRules.ALL);
          body.validate();
          Role current = Members.roleOf(member);
          Role next = Role.fromWireName(roleName).orElseThrow();
          RoleRules.checkChange(caller, current, next, members.ownerCount(h, orgId));
          if (next == current) {
            return member;
          }
          members.setRole(h, orgId, userId, next);
          members.repointOwner(h, orgId);
          MemberView updated = members.require(h, orgId, userId);
          AuditLog.record(
              h,
              caller,
              "member.updated",
              "member",
              userId,
              Map.of("from", current.wireName(), "to", next.wireName()));
          events.emit(h, orgId, "member.updated", updated.event(), clock.instant());
          return updated;
        });
  }

  @DeleteMapping("/{userId}")
  ResponseEntity<Void> remove(
      Caller caller, @PathVariable("organizationId") UUID orgId, @PathVariable UUID userId) {
    OwnOrganization.require(caller, orgId);
    tenancy.inOrg(
        orgId,
        caller.userId(),
        h -> {
          organizations.lock(h, orgId);
          MemberView member = members.require(h, orgId, userId);
          caller.require(Permission.ADMIN);
          Role current = Members.roleOf(member);
          RoleRules.checkChange(caller, current, null, members.ownerCount(h, orgId));
          Instant now = clock.instant();
          int revoked = members.remove(h, orgId, userId, now);
          members.repointOwner(h, orgId);
          AuditLog.record(
              h,
              caller,
              "member.removed",
              "member",
              userId,
              Map.of("role", current.wireName(), "tokens_revoked", revoked));
          events.emit(h, orgId, "member.removed", member.event(), now);
          return null;
        });
    return ResponseEntity.noContent().build();
  }
}
