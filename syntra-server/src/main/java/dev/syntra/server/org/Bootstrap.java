package dev.syntra.server.org;

import dev.syntra.server.ServerSettings;
import dev.syntra.server.audit.AuditLog;
import dev.syntra.server.auth.Scope;
import dev.syntra.server.auth.TokenIssuer;
import dev.syntra.server.db.Ids;
import dev.syntra.server.db.Tenancy;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
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
 * admin API token ({@code SYNTRA_BOOTSTRAP_TOKEN}, or a random one). The token is written to {@code
 * <dataDir>/bootstrap-token} (mode 0600) and shown on standard output only when that is an
 * interactive terminal: a server run by systemd, Docker or CI keeps its output in logs that others
 * may read. Later starts do nothing.
 */
@Component
class Bootstrap implements ApplicationRunner {
  private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);
  static final String TOKEN_FILE = "bootstrap-token";

  private final Tenancy tenancy;
  private final ServerSettings settings;
  private final PrintStream console = System.out;
  private final boolean interactive;

  Bootstrap(Tenancy tenancy, ServerSettings settings) {
    // Checked here, while the context is built, so a bad value stops the start before any port.
    BootstrapToken.check(settings.bootstrapToken());
    this.tenancy = tenancy;
    this.settings = settings;
    this.interactive = interactiveTerminal();
  }

  /**
   * Whether standard input and output are a terminal. Since Java 22 {@code System.console()} exists
   * even when they are redirected, and {@code Console.isTerminal()} (22+) tells; this code is
   * compiled for 21, where a console exists only for a terminal.
   */
  private static boolean interactiveTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException | ClassCastException java21) {
      return true;
    }
  }

  @Override
  public void run(ApplicationArguments args) {
    String preset = settings.bootstrapToken();
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
    Path file = writeTokenFile(token.token());
    console.println();
    console.println("Syntra is ready at " + settings.publicUrl() + "/api/v1");
    console.println(
        "Organization 'default' (" + orgId + ") was created with owner admin@localhost.");
    if (preset != null) {
      console.println("Admin API token: the one given in SYNTRA_BOOTSTRAP_TOKEN.");
    } else if (interactive) {
      console.println("Admin API token (also in " + file + "): " + token.token());
    } else {
      console.println("Admin API token: in " + file + " (readable by this user only).");
    }
    console.println();
  }

  /** Writes the token to a 0600 file in the data dir, replacing any earlier one atomically. */
  private Path writeTokenFile(String token) {
    Path file = settings.dataDir().resolve(TOKEN_FILE);
    try {
      Files.createDirectories(settings.dataDir());
      Path temp =
          Files.createTempFile(
              settings.dataDir(),
              TOKEN_FILE + ".",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(temp, token + "\n", StandardCharsets.US_ASCII);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the admin token to " + file, e);
    }
  }
}
