package dev.syntra.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL is no open superuser on loopback: it asks for the password kept 0600 in
 * the data dir, over TCP only, also on a data directory made by an earlier version (which trusted
 * every local connection).
 */
class EmbeddedDatabaseAuthenticationTest {
  @TempDir Path dataDir;

  @Test
  void refusesConnectionsWithoutThePasswordAndKeepsItAcrossRestarts() throws Exception {
    String password;
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir)) {
      password = db.password();
      assertRefused(db, null);
      assertRefused(db, "wrong-password");
      assertThat(query(db, password, "SELECT current_setting('unix_socket_directories')"))
          .isEmpty();
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), password);
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE kept (id int); INSERT INTO kept VALUES (7)");
      }
    }
    Path file = dataDir.resolve("postgres.password");
    assertThat(Files.readString(file).strip()).isEqualTo(password);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");

    try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir)) {
      assertThat(db.password()).isEqualTo(password);
      assertRefused(db, null);
      assertThat(query(db, password, "SELECT id::text FROM kept")).isEqualTo("7");
    }
  }

  @Test
  void aDataDirectoryOfThePreviousVersionGetsAPasswordOnItsFirstStart() throws Exception {
    // The previous version: initdb with trust authentication, no password, data kept.
    try (EmbeddedPostgres old =
            EmbeddedPostgres.builder()
                .setDataDirectory(dataDir.resolve("postgres"))
                .setCleanDataDirectory(false)
                .start();
        Connection c = old.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE kept (id int); INSERT INTO kept VALUES (42)");
    }

    try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir)) {
      assertRefused(db, null);
      assertThat(query(db, db.password(), "SELECT id::text FROM kept")).isEqualTo("42");
    }
  }

  private static void assertRefused(EmbeddedDatabase db, String password) {
    assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(), db.user(), password).close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("password");
  }

  private static String query(EmbeddedDatabase db, String password, String sql)
      throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), password);
        Statement s = c.createStatement();
        var rows = s.executeQuery(sql)) {
      rows.next();
      return rows.getString(1);
    }
  }
}
