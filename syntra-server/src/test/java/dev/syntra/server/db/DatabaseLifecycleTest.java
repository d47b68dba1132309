package dev.syntra.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.server.Api;
import dev.syntra.server.StandaloneServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zero-setup database keeps its data across restarts, and an external PostgreSQL works through
 * SYNTRA_DB_URL with an owner that is not a superuser.
 */
class DatabaseLifecycleTest {
  private static final String TOKEN = "syn_pat_LifecycleTestToken0123456789abcdefgh";

  @TempDir Path dataDir;

  @Test
  void embeddedDataAndTheMasterKeySurviveARestart() throws Exception {
    Map<String, String> settings =
        Map.of("SYNTRA_DATA_DIR", dataDir.toString(), "SYNTRA_BOOTSTRAP_TOKEN", TOKEN);
    try (var server = StandaloneServer.start(settings)) {
      Api.Response created = server.api(TOKEN).post("/api/v1/projects", Map.of("name", "durable"));
      assertThat(created.status()).isEqualTo(201);
    }
    Path key = dataDir.resolve("master.key");
    assertThat(key).exists();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    String keyBefore = Files.readString(key);
    try (var server = StandaloneServer.start(settings)) {
      Api.Response list = server.api(TOKEN).get("/api/v1/projects");
      assertThat(list.status()).isEqualTo(200);
      assertThat(list.text()).contains("\"slug\":\"durable\"");
    }
    assertThat(Files.readString(key)).isEqualTo(keyBefore);
  }

  @Test
  void startsAfterACrashLeftTheEmbeddedPostgresRunning() throws Exception {
    // A control plane killed with SIGKILL runs no shutdown hook: its PostgreSQL child keeps running
    // on the data directory and holds its lock file.
    Process crashing =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                CrashingDatabaseMain.class.getName(),
                dataDir.toString())
            .redirectErrorStream(true)
            .start();
    try (var out =
        new java.io.BufferedReader(new java.io.InputStreamReader(crashing.getInputStream()))) {
      String line;
      while ((line = out.readLine()) != null && !line.equals("ready")) {
        // startup log
      }
      crashing.destroyForcibly().waitFor();
    }
    assertThat(OrphanedPostmaster.find(dataDir.resolve("postgres"))).isPresent();

    try (EmbeddedDatabase restarted = EmbeddedDatabase.start(dataDir);
        Connection c =
            java.sql.DriverManager.getConnection(
                restarted.jdbcUrl(), restarted.user(), restarted.password());
        Statement s = c.createStatement();
        var rows = s.executeQuery("SELECT id FROM survived")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getInt(1)).isEqualTo(42);
    }
    assertThat(OrphanedPostmaster.find(dataDir.resolve("postgres"))).isEmpty();
  }

  @Test
  void runsOnAnExternalPostgresWithANonSuperuserOwner() throws Exception {
    try (EmbeddedPostgres external = EmbeddedPostgres.builder().start();
        Connection admin = external.getPostgresDatabase().getConnection();
        Statement sql = admin.createStatement()) {
      sql.execute("CREATE ROLE syntra_owner LOGIN PASSWORD 'owner-secret' CREATEROLE");
      sql.execute("CREATE DATABASE syntra OWNER syntra_owner");
      Map<String, String> settings =
          Map.of(
              "SYNTRA_DATA_DIR",
              dataDir.toString(),
              "SYNTRA_DB_URL",
              external.getJdbcUrl("syntra_owner", "syntra").replaceFirst("\\?.*$", ""),
              "SYNTRA_DB_USER",
              "syntra_owner",
              "SYNTRA_DB_PASSWORD",
              "owner-secret",
              "SYNTRA_BOOTSTRAP_TOKEN",
              TOKEN);
      try (var server = StandaloneServer.start(settings)) {
        assertThat(server.api(TOKEN).post("/api/v1/projects", Map.of("name", "external")).status())
            .isEqualTo(201);
      }
      assertThat(dataDir.resolve("postgres")).doesNotExist();
    }
  }
}
