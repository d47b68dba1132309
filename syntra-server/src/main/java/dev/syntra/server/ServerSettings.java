package dev.syntra.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;

/**
 * The server's configuration, read from {@code SYNTRA_*} environment variables (or system
 * properties of the same names, which tests use).
 *
 * @param dataDir {@code SYNTRA_DATA_DIR}, default {@code ~/.syntra}: embedded database, master key
 * @param dbUrl {@code SYNTRA_DB_URL}: a PostgreSQL JDBC URL; null runs the embedded database
 * @param dbUser {@code SYNTRA_DB_USER}
 * @param dbPassword {@code SYNTRA_DB_PASSWORD}; never logged
 * @param bootstrapToken {@code SYNTRA_BOOTSTRAP_TOKEN}: the first admin token, instead of a random
 *     one
 * @param masterKey {@code SYNTRA_MASTER_KEY}: base64 of 32 bytes; null uses (or creates) {@code
 *     master.key} in the data dir
 * @param publicUrl {@code SYNTRA_PUBLIC_URL}: how users and agents reach this server
 */
public record ServerSettings(
    Path dataDir,
    @Nullable String dbUrl,
    @Nullable String dbUser,
    @Nullable String dbPassword,
    @Nullable String bootstrapToken,
    @Nullable String masterKey,
    String publicUrl) {

  public static ServerSettings from(Environment env) {
    String home = System.getProperty("user.home");
    Path dataDir = Path.of(env.getProperty("SYNTRA_DATA_DIR", home + "/.syntra")).toAbsolutePath();
    String port = port(env.getProperty("SYNTRA_HTTP_PORT", "8080"));
    return new ServerSettings(
        dataDir,
        blankToNull(env.getProperty("SYNTRA_DB_URL")),
        blankToNull(env.getProperty("SYNTRA_DB_USER")),
        env.getProperty("SYNTRA_DB_PASSWORD"),
        blankToNull(env.getProperty("SYNTRA_BOOTSTRAP_TOKEN")),
        blankToNull(env.getProperty("SYNTRA_MASTER_KEY")),
        env.getProperty("SYNTRA_PUBLIC_URL", "http://localhost:" + port));
  }

  private static String port(String value) {
    String port = value.strip();
    if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535) {
      throw new IllegalStateException(
          "SYNTRA_HTTP_PORT must be a TCP port number from 0 to 65535, was '" + value + "'");
    }
    return port;
  }

  public boolean embeddedDatabase() {
    return dbUrl == null;
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  @Override
  public String toString() {
    return "ServerSettings[dataDir="
        + dataDir
        + ", db="
        + (dbUrl == null ? "embedded" : dbUrl)
        + ", dbUser="
        + dbUser
        + ", dbPassword="
        + (dbPassword == null ? "none" : "***")
        + ", bootstrapToken="
        + (bootstrapToken == null ? "none" : "***")
        + ", masterKey="
        + (masterKey == null ? "from data dir" : "***")
        + ", publicUrl="
        + publicUrl
        + "]";
  }

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

  /**
   * A positive duration setting such as {@code 500ms}, {@code 30s}, {@code 2m} or {@code 1h};
   * anything else fails naming the variable.
   */
  public static Duration duration(Environment env, String name, String fallback) {
    String value = env.getProperty(name, fallback).strip().toLowerCase(Locale.ROOT);
    Matcher m = DURATION.matcher(value);
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new IllegalStateException(
          name
              + ": expected a positive duration such as 500ms, 30s, 2m or 1h, got '"
              + value
              + "'");
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }

  /** A positive whole number setting (at most 9 digits), or the fallback when unset. */
  public static int positiveInt(Environment env, String name, int fallback) {
    String value = env.getProperty(name, Integer.toString(fallback)).strip();
    if (!value.matches("\\d{1,9}") || Integer.parseInt(value) == 0) {
      throw new IllegalStateException(
          name
              + ": expected a positive whole number such as "
              + fallback
              + ", got '"
              + value
              + "'");
    }
    return Integer.parseInt(value);
  }
}
