package dev.syntra.server.org;

import dev.syntra.protocol.security.TokenHash;
import dev.syntra.server.api.ApiException;
import dev.syntra.server.audit.AuditLog;
import dev.syntra.server.auth.Role;
import dev.syntra.server.auth.Scope;
import dev.syntra.server.auth.TokenIssuer;
import dev.syntra.server.db.Ids;
import dev.syntra.server.db.Tenancy;
import dev.syntra.server.event.Events;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Accepting an invitation: finds it by its token's hash (a cross-tenant lookup, since the caller
 * has no organization yet), then in one transaction of that organization claims it, finds or
 * creates the user by e-mail, adds the membership and issues an API token for it.
 */
@Component
class InvitationAcceptance {
  /** What the cross-tenant lookup returns about an invitation. */
  private record Found(
      UUID id,
      UUID orgId,
      String email,
      Role role,
      Instant expiresAt,
      @Nullable Instant acceptedAt,
      @Nullable Instant revokedAt) {}

  private final Tenancy tenancy;
  private final Members members;
  private final Invitations invitations;
  private final Clock clock;
  private final Events events;

  InvitationAcceptance(
      Tenancy tenancy, Members members, Invitations invitations, Clock clock, Events events) {
    this.events = events;
    this.tenancy = tenancy;
    this.members = members;
    this.invitations = invitations;
    this.clock = clock;
  }

  /**
   * Accepts the invitation {@code token} (already checked well-formed). Without {@code
   * signedInUser} it creates a new account for the invited address; an address that already has an
   * account is only ever joined by that account itself (signed in with one of its API tokens), so
   * an invitation can never be used to act as somebody else.
   */
  AcceptedInvitation accept(
      String token, @Nullable String name, String ip, @Nullable UUID signedInUser) {
    Found found = find(token).orElseThrow(() -> ApiException.notFound("invitation"));
    Instant now = clock.instant();
    refuseIfNotPending(found, now);
    UUID existing =
        tenancy.withoutOrg(
            null,
            h ->
                h.createQuery("SELECT syntra_find_user_id_by_email(:email)")
                    .bind("email", found.email())
                    .mapTo(UUID.class)
                    .findOne()
                    .orElse(null));
    requireRightAccount(existing, signedInUser);
    if (existing == null && name == null) {
      throw ApiException.invalid("$.name", "is required to create your account");
    }
    UUID userId = existing != null ? existing : Ids.next();
    return tenancy.inOrg(
        found.orgId(),
        userId,
        h -> {
          if (!invitations.claim(h, found.orgId(), found.id(), now)) {
            throw gone("invitation_used", "the invitation was just used or revoked");
          }
          if (existing == null) {
            createUser(h, userId, found.email(), java.util.Objects.requireNonNull(name));
          } else if (members.find(h, found.orgId(), userId).isPresent()) {
            throw ApiException.conflict("you are already a member of this organization");
          }
          members.insert(h, found.orgId(), userId, found.role(), invitedAt(h, found), now);
          return grant(h, found, userId, ip, now);
        });
  }

  private static void requireRightAccount(@Nullable UUID existing, @Nullable UUID signedInUser) {
    if (signedInUser != null && !signedInUser.equals(existing)) {
      throw ApiException.forbidden("this invitation was sent to another address");
    }
    if (signedInUser == null && existing != null) {
      throw new ApiException(
          HttpStatus.CONFLICT,
          "sign_in_required",
          "this address already has a Syntra account: accept with one of its API tokens"
              + " (POST /api/v1/invitations/join)");
    }
  }

  /** Scopes of the token an invitee gets, by role. */
  static Set<Scope> scopesFor(Role role) {
    return switch (role) {
      case VIEWER -> EnumSet.of(Scope.READ);
      case DEVELOPER -> EnumSet.of(Scope.READ, Scope.WRITE, Scope.DEPLOY);
      case ADMIN, OWNER -> EnumSet.of(Scope.ADMIN);
    };
  }

  private AcceptedInvitation grant(Handle h, Found found, UUID userId, String ip, Instant now) {
    Set<Scope> scopes = scopesFor(found.role());
    TokenIssuer.Issued issued =
        TokenIssuer.issue(h, found.orgId(), userId, "invitation", scopes, null, null);
    List<String> scopeNames = scopes.stream().map(Scope::wireName).sorted().toList();
    UUID org = found.orgId();
    String role = found.role().wireName();
    audit(h, found, userId, ip, issued.id(), scopeNames);
    events.emit(h, org, "member.added", Map.of("user_id", userId.toString(), "role", role), now);
    Map<String, Object> orgRow =
        h.createQuery("SELECT name, slug FROM organizations WHERE id = :org")
            .bind("org", org)
            .mapToMap()
            .one();
    return new AcceptedInvitation(
        org,
        (String) orgRow.get("name"),
        (String) orgRow.get("slug"),
        userId,
        role,
        issued.id(),
        scopeNames,
        issued.token());
  }

  /** The invitee acted (with no token yet): they accepted, joined, and got a token. */
  private static void audit(
      Handle h, Found found, UUID userId, String ip, UUID tokenId, List<String> scopes) {
    UUID org = found.orgId();
    AuditLog.record(
        h, org, userId, null, ip, "invitation.accepted", "invitation", found.id(), Map.of());
    AuditLog.record(
        h,
        org,
        userId,
        null,
        ip,
        "member.added",
        "member",
        userId,
        Map.of("role", found.role().wireName(), "invitation_id", found.id().toString()));
    AuditLog.record(
        h,
        org,
        userId,
        null,
        ip,
        "token.created",
        "token",
        tokenId,
        Map.of("name", "invitation", "scopes", scopes, "user_id", userId.toString()));
  }

  private Optional<Found> find(String token) {
    return tenancy.withoutOrg(
        null,
        h ->
            h.createQuery("SELECT * FROM syntra_find_invitation(:hash)")
                .bind("hash", TokenHash.of(token).value())
                .map((rs, ctx) -> {
                  Timestamp accepted = rs.getTimestamp("accepted_at");
                  Timestamp revoked = rs.getTimestamp("revoked_at");
                  return new Found(
                      rs.getObject("id", UUID.class),
                      rs.getObject("org_id", UUID.class),
                      rs.getString("email"),
                      Role.fromWireName(rs.getString("role")).orElseThrow(),
                      rs.getTimestamp("expires_at").toInstant(),
                      accepted == null ? null : accepted.toInstant(),
                      revoked == null ? null : revoked.toInstant());
                })
                .findOne());
  }

  private static void refuseIfNotPending(Found found, Instant now) {
    switch (Invitations.status(found.acceptedAt(), found.revokedAt(), found.expiresAt(), now)) {
      case "accepted" -> throw gone("invitation_used", "the invitation was already accepted");
      case "revoked" -> throw gone("invitation_revoked", "the invitation was revoked");
      case "expired" ->
          throw gone("invitation_expired", "the invitation expired; ask for a new one");
      default -> {
        // pending: go on
      }
    }
  }

  private static @Nullable Instant invitedAt(Handle h, Found found) {
    return h.createQuery("SELECT created_at FROM invitations WHERE org_id = :org AND id = :id")
        .bind("org", found.orgId())
        .bind("id", found.id())
        .mapTo(Instant.class)
        .findOne()
        .orElse(null);
  }

  private static void createUser(Handle h, UUID userId, String email, String name) {
    int inserted =
        h.createUpdate(
                "INSERT INTO users (id, email, name) VALUES (:id, :email, :name)"
                    + " ON CONFLICT DO NOTHING")
            .bind("id", userId)
            .bind("email", email)
            .bind("name", name)
            .execute();
    if (inserted == 0) {
      // Another invitation for the same address was accepted at the same moment.
      throw ApiException.conflict("an account for this e-mail was just created; try again");
    }
  }

  private static ApiException gone(String code, String message) {
    return new ApiException(HttpStatus.GONE, code, message);
  }
}
