package dev.syntra.server.org;

import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.JsonBody;
import dev.syntra.server.api.Page;
import dev.syntra.server.audit.AuditLog;
import dev.syntra.server.auth.Caller;
import dev.syntra.server.auth.Permission;
import dev.syntra.server.auth.Role;
import dev.syntra.server.db.Ids;
import dev.syntra.server.db.Tenancy;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Invitations into the caller's organization, managed by admins (only owners may invite admins).
 * Creating one answers its token once; the server sends no e-mail, the inviter hands the token on.
 * It can be accepted for {@link Invitations#VALIDITY} with {@code POST /invitations/accept}.
 */
@RestController
@RequestMapping("/api/v1/organizations/{organizationId}/invitations")
class InvitationsController {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

  private final Tenancy tenancy;
  private final Organizations organizations;
  private final Members members;
  private final Invitations invitations;
  private final Clock clock;

  InvitationsController(
      Tenancy tenancy,
      Organizations organizations,
      Members members,
      Invitations invitations,
      Clock clock) {
    this.tenancy = tenancy;
    this.organizations = organizations;
    this.members = members;
    this.invitations = invitations;
    this.clock = clock;
  }

  @PostMapping
  ResponseEntity<IssuedInvitation> create(
      Caller caller,
      @PathVariable("organizationId") UUID orgId,
      @RequestBody(required = false) JsonNode json) {
    OwnOrganization.require(caller, orgId);
    caller.require(Permission.ADMIN);
    JsonBody body = JsonBody.of(json);
    String email = body.string("email", true, 254);
    if (email != null && !EMAIL.matcher(email).matches()) {
      body.reject("email", "must be an e-mail address");
    }
    String role = body.oneOf("role", true, RoleRules.INVITABLE);
    body.validate();
    if (Role.ADMIN.wireName().equals(role)) {
      RoleRules.checkMayGrantAdmin(caller);
    }
    UUID id = Ids.next();
    String token = Invitations.FORMAT.generate(RANDOM);
    InvitationView created =
        tenancy.inOrg(orgId, caller.userId(), h -> insert(h, caller, id, email, role, token));
    return ResponseEntity.created(
            URI.create("/api/v1/organizations/" + orgId + "/invitations/" + id))
        .body(IssuedInvitation.of(created, token));
  }

  /** Inserts the invitation unless the address is a member or already invited. */
  private InvitationView insert(
      Handle h, Caller caller, UUID id, String email, String role, String token) {
    UUID orgId = caller.orgId();
    Instant now = clock.instant();
    // Serializes invitations of one organization, so one address never gets two pending ones.
    organizations.lock(h, orgId);
    if (members.emailIsMember(h, orgId, email)) {
      throw ApiException.conflict(email + " is already a member");
    }
    if (invitations.pendingFor(h, orgId, email, now)) {
      throw ApiException.conflict(
          email + " already has a pending invitation; revoke it to make a new one");
    }
    invitations.insert(h, id, orgId, email, role, token, caller.userId(), now);
    AuditLog.record(
        h, caller, "invitation.created", "invitation", id, Map.of("email", email, "role", role));
    return invitations.require(h, orgId, id, now);
  }

  @GetMapping
  Page<InvitationView> list(
      Caller caller,
      @PathVariable("organizationId") UUID orgId,
      @RequestParam(required = false) @Nullable Integer limit,
      @RequestParam(required = false) @Nullable String cursor) {
    caller.require(Permission.READ);
    OwnOrganization.require(caller, orgId);
    caller.require(Permission.ADMIN);
    Page.Request page = Page.Request.of(limit, cursor);
    return tenancy.inOrg(
        orgId,
        caller.userId(),
        h -> Page.of(invitations.list(h, orgId, page, clock.instant()), page, InvitationView::id));
  }

  @GetMapping("/{id}")
  InvitationView get(
      Caller caller, @PathVariable("organizationId") UUID orgId, @PathVariable UUID id) {
    caller.require(Permission.READ);
    OwnOrganization.require(caller, orgId);
    return tenancy.inOrg(
        orgId,
        caller.userId(),
        h -> {
          InvitationView invitation = invitations.require(h, orgId, id, clock.instant());
          caller.require(Permission.ADMIN);
          return invitation;
        });
  }

  /** Revokes a pending invitation; revoking twice is harmless, an accepted one cannot be. */
  @DeleteMapping("/{id}")
  ResponseEntity<Void> revoke(
      Caller caller, @PathVariable("organizationId") UUID orgId, @PathVariable UUID id) {
    OwnOrganization.require(caller, orgId);
    tenancy.inOrg(
        orgId,
        caller.userId(),
        h -> {
          Instant now = clock.instant();
          InvitationView invitation = invitations.require(h, orgId, id, now);
          caller.require(Permission.ADMIN);
          if (invitation.acceptedAt() != null) {
            throw ApiException.conflict(
                "the invitation was accepted; remove the member instead of revoking it");
          }
          if (invitation.revokedAt() == null) {
            invitations.revoke(h, orgId, id, now);
            AuditLog.record(
                h,
                caller,
                "invitation.revoked",
                "invitation",
                id,
                Map.of("email", invitation.email(), "role", invitation.role()));
          }
          return null;
        });
    return ResponseEntity.noContent().build();
  }
}
