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
