package dev.syntra.server.org;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.server.Api;
import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.Tenants;
import dev.syntra.server.auth.Role;
import dev.syntra.server.auth.Scope;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class MembersApiTest extends ServerTestSupport {
  private Tenants.Member owner;
  private Api client;
  private String members;

  @BeforeEach
  void setUp() {
    owner = tenants.newOrganization();
    client = api.as(owner.token());
    members = "/api/v1/organizations/" + owner.orgId() + "/members";
  }

  @Test
  void anyMemberListsMembersPageByPage() {
    Tenants.Member viewer = tenants.newMember(owner, Role.VIEWER, Set.of(Scope.READ));
    tenants.newMember(owner, Role.DEVELOPER, Set.of(Scope.READ));
    Api reader = api.as(viewer.token());
    Set<String> seen = new HashSet<>();
    String cursor = "";
    do {
      Api.Response page = reader.get(members + "?limit=2&cursor=" + cursor);
      assertThat(page.status()).as(page.toString()).isEqualTo(200);
      page.json().get("data").forEach(m -> seen.add(m.get("role").stringValue()));
      JsonNode next = page.json().get("next_cursor");
      cursor = next.isNull() ? null : next.stringValue();
    } while (cursor != null);
    assertThat(seen).containsExactlyInAnyOrder("owner", "viewer", "developer");

    JsonNode one = reader.get(members + "/" + owner.userId()).json();
    assertThat(one.get("email").stringValue()).isEqualTo(owner.userId() + "@example.com");
    assertThat(one.get("role").stringValue()).isEqualTo("owner");
    assertThat(reader.get(members + "/" + UUID.randomUUID()).status()).isEqualTo(404);
  }

  @Test
  void adminsChangeRolesButOnlyOwnersGrantOwnerOrAdmin() {
    Tenants.Member admin = tenants.newMember(owner, Role.ADMIN, EnumSet.allOf(Scope.class));
    Tenants.Member dev = tenants.newMember(owner, Role.DEVELOPER, Set.of(Scope.READ));
    Api asAdmin = api.as(admin.token());
    String devPath = members + "/" + dev.userId();

    Api.Response demoted = asAdmin.patch(devPath, Map.of("role", "viewer"));
    assertThat(demoted.status()).as(demoted.toString()).isEqualTo(200);
    assertThat(demoted.json().get("role").stringValue()).isEqualTo("viewer");

    assertThat(asAdmin.patch(devPath, Map.of("role", "owner")).status()).isEqualTo(403);
    assertThat(asAdmin.patch(devPath, Map.of("role", "admin")).status()).isEqualTo(403);
    assertThat(asAdmin.patch(members + "/" + owner.userId(), Map.of("role", "viewer")).status())
        .isEqualTo(403);
    assertThat(asAdmin.delete(members + "/" + owner.userId()).status()).isEqualTo(403);

    assertThat(client.patch(devPath, Map.of("role", "admin")).status()).isEqualTo(200);
    Api.Response owned = client.patch(devPath, Map.of("role", "owner"));
    assertThat(owned.json().get("role").stringValue()).isEqualTo("owner");

    Api.Response bad = client.patch(devPath, Map.of("role", "emperor", "extra", 1));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(OrganizationsApiTest.paths(bad)).containsExactlyInAnyOrder("$.role", "$.extra");
    assertThat(client.patch(members + "/" + UUID.randomUUID(), Map.of("role", "viewer")).status())
        .isEqualTo(404);
    String audit = client.get("/api/v1/audit-log?action=member.updated").text();
    assertThat(audit).contains(dev.userId().toString()).contains("\"to\":\"owner\"");
  }

  @Test
  void theLastOwnerCanNeitherBeDemotedNorRemoved() {
    String self = members + "/" + owner.userId();
    Api.Response demote = client.patch(self, Map.of("role", "admin"));
    assertThat(demote.status()).isEqualTo(409);
    assertThat(demote.json().get("detail").stringValue()).contains("last owner");
    assertThat(client.delete(self).status()).isEqualTo(409);

    Tenants.Member second = tenants.newMember(owner, Role.OWNER, EnumSet.allOf(Scope.class));
    assertThat(client.patch(self, Map.of("role", "admin")).status()).isEqualTo(200);
    // The organization's primary owner moves to the remaining owner.
    JsonNode org = api.as(second.token()).get("/api/v1/organizations/" + owner.orgId()).json();
    assertThat(org.get("owner_id").stringValue()).isEqualTo(second.userId().toString());
    Api.Response last = api.as(second.token()).delete(members + "/" + second.userId());
    assertThat(last.status()).isEqualTo(409);
  }

  @Test
  void removingAMemberRevokesTheirTokensAndOverrides() {
    Tenants.Member dev = tenants.newMember(owner, Role.DEVELOPER, EnumSet.allOf(Scope.class));
    Api asDev = api.as(dev.token());
    assertThat(asDev.get("/api/v1/projects").status()).isEqualTo(200);

    assertThat(client.delete(members + "/" + dev.userId()).status()).isEqualTo(204);
    assertThat(asDev.get("/api/v1/projects").status()).isEqualTo(401);
    assertThat(client.get(members + "/" + dev.userId()).status()).isEqualTo(404);
    assertThat(client.delete(members + "/" + dev.userId()).status()).isEqualTo(404);
    Long revoked =
        tenancy.inOrg(
            owner.orgId(),
            null,
            h ->
                h.createQuery(
                        "SELECT count(*) FROM api_tokens WHERE user_id = :u AND revoked_at IS NOT NULL")
                    .bind("u", dev.userId())
                    .mapTo(Long.class)
                    .one());
    assertThat(revoked).isEqualTo(1);
    String audit = client.get("/api/v1/audit-log?action=member.removed").text();
    assertThat(audit).contains("\"tokens_revoked\":1");
  }

  @Test
  void viewersAndDevelopersCannotManageMembers() {
    Tenants.Member viewer = tenants.newMember(owner, Role.VIEWER, EnumSet.allOf(Scope.class));
    Tenants.Member dev = tenants.newMember(owner, Role.DEVELOPER, EnumSet.allOf(Scope.class));
    for (Tenants.Member member : new Tenants.Member[] {viewer, dev}) {
      Api as = api.as(member.token());
      assertThat(as.patch(members + "/" + viewer.userId(), Map.of("role", "admin")).status())
          .isEqualTo(403);
      assertThat(as.delete(members + "/" + viewer.userId()).status()).isEqualTo(403);
    }
  }

  @Test
  void anotherOrganizationsMembersAreNotFound() {
    Tenants.Member other = tenants.newOrganization();
    String theirs = "/api/v1/organizations/" + other.orgId() + "/members";
    assertThat(client.get(theirs).status()).isEqualTo(404);
    assertThat(client.get(theirs + "/" + other.userId()).status()).isEqualTo(404);
    assertThat(client.patch(theirs + "/" + other.userId(), Map.of("role", "viewer")).status())
        .isEqualTo(404);
    assertThat(client.delete(theirs + "/" + other.userId()).status()).isEqualTo(404);
    // A user of another organization is no member here either.
    assertThat(client.patch(members + "/" + other.userId(), Map.of("role", "viewer")).status())
        .isEqualTo(404);
  }
}
