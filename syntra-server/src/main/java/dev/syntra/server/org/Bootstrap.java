package dev.syntra.server.org;

import dev.syntra.server.ServerSettings;
import dev.syntra.server.audit.AuditLog;
import dev.syntra.server.auth.ApiTokens;
import dev.syntra.server.auth.Scope;
import dev.syntra.server.auth.TokenIssuer;
import dev.syntra.server.db.Ids;
import dev.syntra.server.db.Tenancy;
import java.io.PrintStream;
import java.util.EnumSet;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * First start: when no organization exists, creates the owner user, the default organization and an
 * admin API token ({@code SYNTRA_BOOTSTRAP_TOKEN}, or a random one), and prints the URL and the
 * token once on standard output. Later starts do nothing.
 */
@Component
class Bootstrap implements ApplicationRunner {
  private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);

  private final Tenancy tenancy;
  private final ServerSettings settings;
  private final PrintStream console = System.out;

  Bootstrap(Tenancy tenancy, ServerSettings settings) {
    this.tenancy = tenancy;
    this.settings = settings;
  }

  @Override
  public void run(ApplicationArguments args) {
    String preset = settings.bootstrapToken();
    if (preset != null && !ApiTokens.looksValid(preset)) {
      throw new IllegalStateException(
          "SYNTRA_BOOTSTRAP_TOKEN must be 'syn_pat_' followed by 32 to 128 letters or digits");
    }
    long organizations =
        tenancy.withoutOrg(
            null, h -> h.createQuery("SELECT syntra_organization_count()").mapTo(Long.class).one());
    if (organizations > 0) {
      log.info(
          "Syntra is set up ({} organizations); API at {}/api/v1",
          organizations,
          settings.publicUrl());
      return;
    }
    UUID userId = Ids.next();
    UUID orgId = Ids.next();
    TokenIssuer.Issued token =
        tenancy.inOrg(
            orgId,
            userId,
            h -> {
              h.createUpdate("INSERT INTO users (id, email, name) VALUES (:id, :email, :name)")
                  .bind("id", userId)
                  .bind("email", "admin@localhost")
                  .bind("name", "Administrator")
                  .execute();
              h.createUpdate(
                      "INSERT INTO organizations (id, name, slug, owner_id)"
                          + " VALUES (:id, 'Default', 'default', :owner)")
                  .bind("id", orgId)
                  .bind("owner", userId)
                  .execute();
              h.createUpdate(
                      "INSERT INTO org_members (org_id, user_id, role) VALUES (:org, :user, 'owner')")
                  .bind("org", orgId)
                  .bind("user", userId)
                  .execute();
              TokenIssuer.Issued issued =
                  TokenIssuer.issue(
                      h, orgId, userId, "bootstrap", EnumSet.allOf(Scope.class), null, preset);
              AuditLog.record(
                  h,
                  orgId,
                  userId,
                  issued.id(),
                  null,
                  "organization.bootstrapped",
                  "organization",
                  orgId,
                  Map.of("slug", "default"));
              return issued;
            });
    console.println();
    console.println("Syntra is ready at " + settings.publicUrl() + "/api/v1");
    console.println(
        "Organization 'default' (" + orgId + ") was created with owner admin@localhost.");
    if (preset == null) {
      console.println("Admin API token (shown once, store it now): " + token.token());
    } else {
      console.println("Admin API token: the one given in SYNTRA_BOOTSTRAP_TOKEN.");
    }
    console.println();
  }
}
