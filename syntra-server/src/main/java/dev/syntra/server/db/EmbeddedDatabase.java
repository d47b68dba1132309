package dev.syntra.server.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zero-setup database: a PostgreSQL server started from Java with its data under {@code
 * <dataDir>/postgres}, kept across restarts, with durability on (fsync, synchronous commit, full
 * page writes), listening on loopback TCP only (no Unix socket) and accepting only SCRAM passwords.
 * The superuser's password is generated on first start into {@code <dataDir>/postgres.password}
 * (mode 0600); only migrations and the set-up of the application's login role use it.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

  static final String SUPERUSER = "postgres";
  static final String PASSWORD_FILE = "postgres.password";

  private final EmbeddedPostgres postgres;
  private final String password;

  private EmbeddedDatabase(EmbeddedPostgres postgres, String password) {
    this.postgres = postgres;
    this.password = password;
  }

  /** Starts (initialising on first use) the database kept in {@code dataDir/postgres}. */
  public static EmbeddedDatabase start(Path dataDir) {
    Path directory = dataDir.resolve("postgres");
    try {
      Files.createDirectories(directory.getParent());
      OrphanedPostmaster.stopIfRunning(directory);
      SecretFile password = SecretFile.readOrGenerate(dataDir.resolve(PASSWORD_FILE));
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(directory)
              .setCleanDataDirectory(false)
              .setDataDirectoryCustomizer(
                  new EmbeddedAuthentication(SUPERUSER, password.value(), password.created()))
              .setServerConfig("listen_addresses", "127.0.0.1")
              .setServerConfig("unix_socket_directories", "")
              .setServerConfig("password_encryption", "scram-sha-256")
              // The library's readiness probe logs in as the superuser: with the password.
              .setConnectConfig("password", password.value())
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("full_page_writes", "on")
              .setServerConfig("max_connections", "100")
              .start();
      log.info(
          "Embedded PostgreSQL running on 127.0.0.1:{}, data in {}", postgres.getPort(), directory);
      return new EmbeddedDatabase(postgres, password.value());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not start the embedded PostgreSQL in "
              + directory
              + " (set SYNTRA_DB_URL to use an external PostgreSQL instead)",
          e);
    }
  }

  /** The JDBC URL of the {@code postgres} database, without credentials. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
  }

  /** The superuser, which owns the schema and runs the migrations. */
  public String user() {
    return SUPERUSER;
  }

  /** The superuser's password (from {@code <dataDir>/postgres.password}). */
  public String password() {
    return password;
  }

  public int port() {
    return postgres.getPort();
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      log.warn("Embedded PostgreSQL did not stop cleanly", e);
    }
  }
}
