package dev.syntra.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.Tenants;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The database itself keeps tenants apart: queries run as {@code syntra_app}, which is no
 * superuser, cannot bypass RLS and owns no table, so a query that forgets {@code WHERE org_id =
 * ...} still sees only the organization in context.
 */
class RowLevelSecurityTest extends ServerTestSupport {

  @Test
  void theApplicationRoleCannotBypassRowLevelSecurity() {
    Map<String, Object> role =
        tenancy.withoutOrg(
            null,
            h ->
                h.createQuery(
                        "SELECT current_user AS name, r.rolsuper, r.rolbypassrls,"
                            + " (SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
                            + "   AND tableowner = current_user) AS owned"
                            + " FROM pg_roles r WHERE r.rolname = current_user")
                    .mapToMap()
                    .one());
    assertThat(role.get("name")).isEqualTo("syntra_app");
    assertThat(role.get("rolsuper")).isEqualTo(false);
    assertThat(role.get("rolbypassrls")).isEqualTo(false);
    assertThat(role.get("owned")).isEqualTo(0L);
  }

  @Test
  void theApplicationLogsInAsItsRoleAndCannotSwitchToAStrongerOne() {
    Map<String, Object> after =
        tenancy.withoutOrg(
            null,
            h -> {
              h.execute("RESET ROLE");
              return h.createQuery(
                      "SELECT current_user AS current, session_user AS session, r.rolcanlogin"
                          + " FROM pg_roles r WHERE r.rolname = session_user")
                  .mapToMap()
                  .one();
            });
    assertThat(after.get("current")).isEqualTo("syntra_app");
    assertThat(after.get("session")).isEqualTo("syntra_app");
    assertThat(after.get("rolcanlogin")).isEqualTo(true);
    for (String stronger : new String[] {"postgres", "pg_read_all_data"}) {
      assertThatThrownBy(() -> tenancy.withoutOrg(null, h -> h.execute("SET ROLE " + stronger)))
          .hasMessageContaining("permission denied to set role");
    }
    assertThatThrownBy(() ->
            tenancy.withoutOrg(
                null,
                h ->
                    h.createQuery("SELECT count(*) FROM syntra_credentials")
                        .mapTo(Long.class)
                        .one()))
        .hasMessageContaining("permission denied");
  }

  @Test
  void aQueryThatForgetsTheOrganizationFilterSeesOnlyItsOrganization() {
    Tenants.Member a = tenants.newOrganization();
    Tenants.Member b = tenants.newOrganization();
    api.as(a.token()).post("/api/v1/projects", Map.of("name", "a1"));
    api.as(a.token()).post("/api/v1/projects", Map.of("name", "a2"));
    api.as(b.token()).post("/api/v1/projects", Map.of("name", "b1"));

    long seenByA =
        tenancy.inOrg(
            a.orgId(),
            null,
            h -> h.createQuery("SELECT count(*) FROM projects").mapTo(Long.class).one());
    long seenByNobody =
        tenancy.withoutOrg(
            null, h -> h.createQuery("SELECT count(*) FROM projects").mapTo(Long.class).one());
    long auditSeenByA =
        tenancy.inOrg(
            a.orgId(),
            null,
            h ->
                h.createQuery("SELECT count(DISTINCT org_id) FROM audit_log")
                    .mapTo(Long.class)
                    .one());

    assertThat(seenByA).isEqualTo(2);
    assertThat(seenByNobody).isZero();
    assertThat(auditSeenByA).isEqualTo(1);
  }

  @Test
  void writingIntoAnotherOrganizationIsRefusedByTheDatabase() {
    Tenants.Member a = tenants.newOrganization();
    Tenants.Member b = tenants.newOrganization();
    assertThatThrownBy(() ->
            tenancy.inOrg(
                a.orgId(),
                null,
                h ->
                    h.createUpdate(
                            "INSERT INTO projects (id, org_id, name, slug)"
                                + " VALUES (:id, :org, 'x', 'x')")
                        .bind("id", Ids.next())
                        .bind("org", b.orgId())
                        .execute()))
        .hasMessageContaining("row-level security");
    int updated =
        tenancy.inOrg(
            a.orgId(),
            null,
            h ->
                h.createUpdate("UPDATE organizations SET name = 'hijacked' WHERE id = :id")
                    .bind("id", b.orgId())
                    .execute());
    assertThat(updated).isZero();
  }

  @Test
  void aMemberOfTwoOrganizationsCanChangeOnlyTheOneInContext() {
    Tenants.Member a = tenants.newOrganization();
    Tenants.Member b = tenants.newOrganization();
    // The owner of A also joins B: from A's context they may see B, never change it.
    tenancy.inOrg(
        b.orgId(),
        a.userId(),
        h ->
            h.createUpdate(
                    "INSERT INTO org_members (org_id, user_id, role) VALUES (:o, :u, 'owner')")
                .bind("o", b.orgId())
                .bind("u", a.userId())
                .execute());
    long visible =
        tenancy.inOrg(
            a.orgId(),
            a.userId(),
            h -> h.createQuery("SELECT count(*) FROM organizations").mapTo(Long.class).one());
    int deleted =
        tenancy.inOrg(
            a.orgId(),
            a.userId(),
            h ->
                h.createUpdate("DELETE FROM organizations WHERE id = :b")
                        .bind("b", b.orgId())
                        .execute()
                    + h.createUpdate("DELETE FROM org_members WHERE org_id = :b")
                        .bind("b", b.orgId())
                        .execute());
    assertThat(visible).isEqualTo(2);
    assertThat(deleted).isZero();
  }

  @Test
  void theAuditLogIsAppendOnlyForTheApplication() {
    Tenants.Member a = tenants.newOrganization();
    api.as(a.token()).post("/api/v1/projects", Map.of("name", "audited"));
    assertThatThrownBy(() ->
            tenancy.inOrg(a.orgId(), null, h -> h.createUpdate("DELETE FROM audit_log").execute()))
        .hasMessageContaining("permission denied");
  }

  @Test
  void idsAreTimeOrdered() {
    java.time.Instant t = java.time.Instant.parse("2026-11-26T12:00:00Z");
    UUID first = Ids.next(java.time.Clock.fixed(t, java.time.ZoneOffset.UTC));
    UUID second = Ids.next(java.time.Clock.fixed(t.plusMillis(1), java.time.ZoneOffset.UTC));
    assertThat(first.version()).isEqualTo(7);
    assertThat(second.toString().compareTo(first.toString())).isPositive();
  }
}
