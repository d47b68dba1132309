package dev.syntra.server.org;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.server.Api;
import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.Tenants;
import dev.syntra.server.auth.Role;
import dev.syntra.server.auth.Scope;
import java.util.EnumSet;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class InvitationsApiTest extends ServerTestSupport {
  private static final String ACCEPT = "/api/v1/invitations/accept";

  @Autowired private AcceptRateLimiter limiter;

  private Tenants.Member owner;
  private Api client;
  private String invitations;

  @BeforeEach
  void setUp() {
    // Every test here accepts from 127.0.0.1; start each with a full bucket.
    limiter.clear();
    owner = tenants.newOrganization();
    client = api.as(owner.token());
    invitations = "/api/v1/organizations/" + owner.orgId() + "/invitations";
  }

  @Test
  void anInviteeAcceptsOnceAndGetsAWorkingToken() {
    String email = "New.Person+" + UUID.randomUUID() + "@Example.com";
    Api.Response created = client.post(invitations, Map.of("email", email, "role", "developer"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String token = created.json().get("token").stringValue();
    String id = created.json().get("id").stringValue();
    assertThat(Invitations.FORMAT.isWellFormed(token)).isTrue();
    assertThat(created.header("Location")).isEqualTo(invitations + "/" + id);
    assertThat(created.json().get("status").stringValue()).isEqualTo("pending");
    assertThat(client.get(invitations).text()).doesNotContain(token).doesNotContain("sha256");

    Api.Response accepted = accept(token, "New Person");
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(201);
    JsonNode answer = accepted.json();
    assertThat(answer.get("org_id").stringValue()).isEqualTo(owner.orgId().toString());
    assertThat(answer.get("role").stringValue()).isEqualTo("developer");
    assertThat(answer.get("scopes").toString()).isEqualTo("[\"deploy\",\"read\",\"write\"]");

    Api invitee = api.as(answer.get("token").stringValue());
    Api.Response org = invitee.get("/api/v1/organizations/" + owner.orgId());
    assertThat(org.status()).isEqualTo(200);
    assertThat(org.json().get("role").stringValue()).isEqualTo("developer");
    assertThat(invitee.post("/api/v1/projects", Map.of("name", "mine")).status()).isEqualTo(201);
    JsonNode member =
        client
            .get(
                "/api/v1/organizations/"
                    + owner.orgId()
                    + "/members/"
                    + answer.get("user_id").stringValue())
            .json();
    assertThat(member.get("email").stringValue()).isEqualTo(email);
    assertThat(member.get("name").stringValue()).isEqualTo("New Person");
    assertThat(member.get("invited_at").isNull()).isFalse();
    assertThat(client.get(invitations + "/" + id).json().get("status").stringValue())
        .isEqualTo("accepted");

    Api.Response reused = accept(token, "Someone Else");
    assertThat(reused.status()).isEqualTo(410);
    assertThat(reused.json().get("code").stringValue()).isEqualTo("invitation_used");
    String audit =
        client.get("/api/v1/audit-log?actor_user_id=" + answer.get("user_id").stringValue()).text();
    assertThat(audit)
        .contains("invitation.accepted")
        .contains("member.added")
        .contains("token.created");
  }

  @Test
  void anExistingAccountCannotBeClaimedThroughThePublicAccept() {
    // The inviter holds the invitation token: accepting it anonymously must never yield a token
    // acting as the invited address's existing account (that would be an account takeover).
    Tenants.Member elsewhere = tenants.newOrganization();
    String token = invite(elsewhere.userId() + "@example.com", "viewer");
    Api.Response accepted = accept(token, "Mallory");
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(409);
    assertThat(accepted.json().get("code").stringValue()).isEqualTo("sign_in_required");
    assertThat(accepted.text()).doesNotContain("syn_pat_");
  }

  @Test
  void anExistingUserJoinsSignedInWithTheirOwnToken() {
    Tenants.Member elsewhere = tenants.newOrganization();
    String email = elsewhere.userId() + "@example.com";
    String token = invite(email.toUpperCase(java.util.Locale.ROOT), "viewer");

    Tenants.Member stranger = tenants.newOrganization();
    Api.Response wrongAccount =
        api.as(stranger.token()).post("/api/v1/invitations/join", Map.of("token", token));
    assertThat(wrongAccount.status()).isEqualTo(403);

    Api.Response joined =
        api.as(elsewhere.token()).post("/api/v1/invitations/join", Map.of("token", token));
    assertThat(joined.status()).as(joined.toString()).isEqualTo(201);
    assertThat(joined.json().get("user_id").stringValue()).isEqualTo(elsewhere.userId().toString());
    assertThat(joined.json().get("scopes").toString()).isEqualTo("[\"read\"]");

    JsonNode orgs = api.as(elsewhere.token()).get("/api/v1/organizations").json().get("data");
    assertThat(orgs).hasSize(2);
    Api viewer = api.as(joined.json().get("token").stringValue());
    assertThat(viewer.post("/api/v1/projects", Map.of("name", "no")).status()).isEqualTo(403);
  }

  @Test
  void expiredAndRevokedInvitationsAreRefused() {
    String expired = invite("late-" + UUID.randomUUID() + "@example.com", "viewer");
    tenancy.inOrg(
        owner.orgId(),
        null,
        h ->
            h.createUpdate(
                    "UPDATE invitations SET expires_at = now() - interval '1 minute'"
                        + " WHERE org_id = :org")
                .bind("org", owner.orgId())
                .execute());
    Api.Response late = accept(expired, "Late");
    assertThat(late.status()).isEqualTo(410);
    assertThat(late.json().get("code").stringValue()).isEqualTo("invitation_expired");
    assertThat(client.get(invitations).json().get("data").get(0).get("status").stringValue())
        .isEqualTo("expired");

    Api.Response created =
        client.post(
            invitations,
            Map.of("email", "gone-" + UUID.randomUUID() + "@example.com", "role", "viewer"));
    String id = created.json().get("id").stringValue();
    assertThat(client.delete(invitations + "/" + id).status()).isEqualTo(204);
    assertThat(client.delete(invitations + "/" + id).status()).isEqualTo(204);
    Api.Response revoked = accept(created.json().get("token").stringValue(), "Gone");
    assertThat(revoked.status()).isEqualTo(410);
    assertThat(revoked.json().get("code").stringValue()).isEqualTo("invitation_revoked");
    assertThat(client.get(invitations + "/" + id).json().get("status").stringValue())
        .isEqualTo("revoked");
  }

  @Test
  void anAcceptedInvitationCannotBeRevoked() {
    Api.Response created =
        client.post(
            invitations,
            Map.of("email", "in-" + UUID.randomUUID() + "@example.com", "role", "viewer"));
    assertThat(accept(created.json().get("token").stringValue(), "In").status()).isEqualTo(201);
    assertThat(client.delete(invitations + "/" + created.json().get("id").stringValue()).status())
        .isEqualTo(409);
  }

  @Test
  void onlyOwnersInviteAdminsAndAdminsGetTheAdminScope() {
    Tenants.Member admin = tenants.newMember(owner, Role.ADMIN, EnumSet.allOf(Scope.class));
    Api asAdmin = api.as(admin.token());
    String email = "boss-" + UUID.randomUUID() + "@example.com";
    assertThat(asAdmin.post(invitations, Map.of("email", email, "role", "admin")).status())
        .isEqualTo(403);
    assertThat(asAdmin.post(invitations, Map.of("email", email, "role", "developer")).status())
        .isEqualTo(201);

    String token = invite("admin-" + UUID.randomUUID() + "@example.com", "admin");
    Api.Response accepted = accept(token, "Admin");
    assertThat(accepted.json().get("scopes").toString()).isEqualTo("[\"admin\"]");
    Api newAdmin = api.as(accepted.json().get("token").stringValue());
    assertThat(newAdmin.get(invitations).status()).isEqualTo(200);
  }

  @Test
  void refusesDuplicatesAndBadInput() {
    String email = "dup-" + UUID.randomUUID() + "@example.com";
    invite(email, "viewer");
    assertThat(client.post(invitations, Map.of("email", email, "role", "viewer")).status())
        .isEqualTo(409);
    String ownerEmail = owner.userId() + "@example.com";
    assertThat(client.post(invitations, Map.of("email", ownerEmail, "role", "viewer")).status())
        .isEqualTo(409);

    Api.Response bad = client.post(invitations, Map.of("email", "nobody", "role", "owner"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(OrganizationsApiTest.paths(bad)).containsExactlyInAnyOrder("$.email", "$.role");

    Api.Response malformed = api.as(null).post(ACCEPT, Map.of("token", "syn_inv_nope", "name", ""));
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(OrganizationsApiTest.paths(malformed))
        .containsExactlyInAnyOrder("$.token", "$.name");
    String unknown = Invitations.FORMAT.generate(new java.security.SecureRandom());
    assertThat(accept(unknown, "Who").status()).isEqualTo(404);
  }

  @Test
  void viewersCannotInviteOrRevoke() {
    Tenants.Member viewer = tenants.newMember(owner, Role.VIEWER, EnumSet.allOf(Scope.class));
    Api.Response created =
        client.post(
            invitations,
            Map.of("email", "v-" + UUID.randomUUID() + "@example.com", "role", "viewer"));
    Api asViewer = api.as(viewer.token());
    assertThat(
            asViewer.post(invitations, Map.of("email", "x@example.com", "role", "viewer")).status())
        .isEqualTo(403);
    assertThat(asViewer.get(invitations).status()).isEqualTo(403);
    assertThat(asViewer.delete(invitations + "/" + created.json().get("id").stringValue()).status())
        .isEqualTo(403);
    assertThat(client.delete(invitations + "/" + UUID.randomUUID()).status()).isEqualTo(404);
  }

  @Test
  void tooManyAttemptsFromOneAddressGet429WithRetryAfter() {
    try {
      String unknown = Invitations.FORMAT.generate(new java.security.SecureRandom());
      for (int i = 0; i < limiter.perMinute(); i++) {
        assertThat(accept(unknown, "Guess").status()).isEqualTo(404);
      }
      Api.Response limited = accept(unknown, "Guess");
      assertThat(limited.status()).isEqualTo(429);
      assertThat(limited.json().get("code").stringValue()).isEqualTo("rate_limited");
      assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
      // Even a valid invitation waits: the limit is on attempts, not on failures.
      String token = invite("patient-" + UUID.randomUUID() + "@example.com", "viewer");
      assertThat(accept(token, "Patient").status()).isEqualTo(429);
    } finally {
      limiter.clear();
    }
  }

  private String invite(String email, String role) {
    Api.Response created = client.post(invitations, Map.of("email", email, "role", role));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().get("token").stringValue();
  }

  private Api.Response accept(String token, String name) {
    return api.as(null).post(ACCEPT, Map.of("token", token, "name", name));
  }
}
