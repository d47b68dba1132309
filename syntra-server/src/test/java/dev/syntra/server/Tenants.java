package dev.syntra.server;

import dev.syntra.server.auth.Role;
import dev.syntra.server.auth.Scope;
import dev.syntra.server.auth.TokenIssuer;
import dev.syntra.server.db.Ids;
import dev.syntra.server.db.Tenancy;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * Test fixture: creates organizations, members and tokens directly in the database (the API for
 * them is tested on its own), so every test starts from its own fresh tenant.
 */
public final class Tenants {
  /** An organization member and an API token of theirs. */
  public record Member(UUID orgId, UUID userId, UUID tokenId, String token, Role role) {}

  private final Tenancy tenancy;

  public Tenants(Tenancy tenancy) {
    this.tenancy = tenancy;
  }

  /** A new organization whose owner holds a token with every scope. */
  public Member newOrganization() {
    return newOrganization("free");
  }

  public Member newOrganization(String plan) {
    UUID orgId = Ids.next();
    UUID ownerId = Ids.next();
    tenancy.inOrg(
        orgId,
        ownerId,
        h -> {
          insertUser(h, ownerId);
          h.createUpdate(
                  "INSERT INTO organizations (id, name, slug, owner_id, plan)"
                      + " VALUES (:id, :name, :slug, :owner, :plan)")
              .bind("id", orgId)
              .bind("name", "Org " + orgId)
              .bind("slug", "org-" + orgId)
              .bind("owner", ownerId)
              .bind("plan", plan)
              .execute();
          return null;
        });
    return addMember(orgId, ownerId, Role.OWNER, EnumSet.allOf(Scope.class));
  }

  /** A new user in {@code org} with {@code role}, holding a token with {@code scopes}. */
  public Member newMember(Member org, Role role, Set<Scope> scopes) {
    UUID userId = Ids.next();
    tenancy.inOrg(org.orgId(), userId, h -> insertUser(h, userId));
    return addMember(org.orgId(), userId, role, scopes);
  }

  /** Another token of an existing member. */
  public Member newToken(Member member, Set<Scope> scopes) {
    TokenIssuer.Issued issued =
        tenancy.inOrg(
            member.orgId(),
            member.userId(),
            h -> TokenIssuer.issue(h, member.orgId(), member.userId(), "test", scopes, null, null));
    return new Member(member.orgId(), member.userId(), issued.id(), issued.token(), member.role());
  }

  private Member addMember(UUID orgId, UUID userId, Role role, Set<Scope> scopes) {
    TokenIssuer.Issued issued =
        tenancy.inOrg(
            orgId,
            userId,
            h -> {
              h.createUpdate(
                      "INSERT INTO org_members (org_id, user_id, role) VALUES (:org, :user, :role)")
                  .bind("org", orgId)
                  .bind("user", userId)
                  .bind("role", role.wireName())
                  .execute();
              return TokenIssuer.issue(h, orgId, userId, "test", scopes, null, null);
            });
    return new Member(orgId, userId, issued.id(), issued.token(), role);
  }

  private static int insertUser(org.jdbi.v3.core.Handle h, UUID userId) {
    return h.createUpdate("INSERT INTO users (id, email, name) VALUES (:id, :email, :name)")
        .bind("id", userId)
        .bind("email", userId + "@example.com")
        .bind("name", "User " + userId)
        .execute();
  }
}
