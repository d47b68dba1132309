package dev.syntra.server.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One owner per table: a table is queried only by the package that owns it; other packages call
 * that package. The map below is the design; change it deliberately, never to make a build pass.
 */
class TableOwnershipTest {
  private static final Map<String, String> OWNERS =
      Map.ofEntries(
          Map.entry("organizations", "org"),
          Map.entry("users", "org"),
          Map.entry("org_members", "org"),
          Map.entry("project_members", "org"),
          Map.entry("invitations", "org"),
          Map.entry("api_tokens", "auth"),
          Map.entry("audit_log", "audit"),
          Map.entry("projects", "project"),
          Map.entry("services", "service"),
          Map.entry("servers", "fleet"),
          Map.entry("env_vars", "secret"),
          Map.entry("agent_commands", "command"),
          Map.entry("deployments", "deploy"),
          Map.entry("deployment_events", "deploy"),
          Map.entry("webhooks", "webhook"),
          Map.entry("webhook_deliveries", "webhook"),
          Map.entry("domain_claims", "service"),
          Map.entry("service_telemetry", "service"),
          Map.entry("syntra_credentials", "db"),
          Map.entry("syntra_master_key", "crypto"),
          Map.entry("api_rate_buckets", "auth"),
          Map.entry("hub_ca", "hub"),
          Map.entry("telemetry_batches", "telemetry"));

  /**
   * The only exception: an organization's key version lives on its row, and crypto's KeyVersions
   * (below org) reads and advances that one column.
   */
  private static final Map<String, Set<String>> GRANTS = Map.of("crypto", Set.of("organizations"));

  private static final TableOwnership SERVER =
      new TableOwnership("dev.syntra.server", OWNERS, GRANTS);

  @Test
  void everyTableTheMigrationsCreateHasAnOwner() {
    Set<String> tables = TableOwnership.tablesCreatedIn(Path.of("src/main/resources/db/migration"));

    assertThat(tables).contains("servers", "agent_commands");
    assertThat(SERVER.unowned(tables)).as("tables without an owner in OWNERS").isEmpty();
    assertThat(tables).as("OWNERS names only real tables").containsAll(OWNERS.keySet());
  }

  @Test
  void onlyTheOwnerOfATableQueriesIt() {
    assertThat(SERVER.violations(Path.of("src/main/java"))).isEmpty();
  }

  @Test
  void aPackageQueryingAnotherPackagesTableIsFound() {
    Path fixture = Path.of("src/test/resources/table-ownership-fixture");

    assertThat(SERVER.violations(fixture))
        .extracting(Object::toString)
        .containsExactlyInAnyOrder(
            "dev/syntra/server/service/ReadsServers.java (package service) names table servers,"
                + " owned by fleet",
            "dev/syntra/server/hub/internal/WritesCommands.java (package hub) names table"
                + " agent_commands, owned by command",
            "dev/syntra/server/deploy/TextBlock.java (package deploy) names table services, owned"
                + " by service");
  }
}
