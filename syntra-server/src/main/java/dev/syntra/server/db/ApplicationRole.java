package dev.syntra.server.db;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import org.postgresql.util.PasswordUtil;

/**
 * The login role the application pool connects as: {@code syntra_app}, no superuser, {@code
 * NOBYPASSRLS}, owner of nothing, so row-level security applies to every query and no statement can
 * switch to a stronger role. At every start the schema owner sets its password: {@code
 * SYNTRA_DB_APP_PASSWORD} when given, otherwise one generated once and kept in the owner-only table
 * {@code syntra_credentials}, so every instance on the database agrees on it without configuration.
 */
final class ApplicationRole {
  static final String NAME = "syntra_app";
  private static final String CREDENTIAL = "syntra_app_password";

  private ApplicationRole() {}

  /** Sets the role's password as {@code owner}; returns the password the pool must use. */
  static String prepare(DatabaseConfiguration.Connection owner, @Nullable String configured) {
    Properties credentials = new Properties();
    credentials.setProperty("user", owner.user());
    if (owner.password() != null) {
      credentials.setProperty("password", owner.password());
    }
    try (Connection c = DriverManager.getConnection(owner.url(), credentials)) {
      String password = configured != null ? configured : storedPassword(c);
      // The SCRAM verifier is computed here: the password itself never reaches the server's logs.
      String verifier = PasswordUtil.encodeScramSha256(password.toCharArray());
      try (Statement s = c.createStatement()) {
        s.execute("ALTER ROLE " + NAME + " WITH LOGIN PASSWORD '" + verifier + "'");
      }
      return password;
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Could not set the password of the database role "
              + NAME
              + " as "
              + owner.user()
              + " (the schema owner needs CREATEROLE, or create the role yourself and set"
              + " SYNTRA_DB_APP_PASSWORD): "
              + e.getMessage(),
          e);
    }
  }

  private static String storedPassword(Connection c) throws SQLException {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO syntra_credentials (name, secret) VALUES (?, ?)"
                + " ON CONFLICT (name) DO NOTHING")) {
      insert.setString(1, CREDENTIAL);
      insert.setString(2, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
      insert.execute();
    }
    try (PreparedStatement select =
        c.prepareStatement("SELECT secret FROM syntra_credentials WHERE name = ?")) {
      select.setString(1, CREDENTIAL);
      try (var rows = select.executeQuery()) {
        rows.next();
        return rows.getString(1);
      }
    }
  }
}
