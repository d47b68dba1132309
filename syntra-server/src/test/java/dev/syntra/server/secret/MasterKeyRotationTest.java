package dev.syntra.server.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syntra.server.Api;
import dev.syntra.server.StandaloneServer;
import dev.syntra.server.crypto.MasterKey;
import dev.syntra.server.crypto.SecretBox;
import dev.syntra.server.db.Tenancy;
import dev.syntra.server.webhook.WebhookSecrets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Master-key rotation: a start with a new key and the old one in SYNTRA_MASTER_KEY_PREVIOUS
 * re-seals every secret; after it only the new key is needed, and the old one is refused.
 */
class MasterKeyRotationTest {
  private static final String TOKEN = "syn_pat_MasterKeyRotationTest0123456789abcdef";
  private static final String WEBHOOK_URL = "https://203.0.113.10/hooks/syntra";

  @TempDir Path dataDir;

  @Test
  void secretsStayReadableAfterARotationAndARestartWithOnlyTheNewKey() {
    String oldKey = randomKey();
    String newKey = randomKey();
    String envPath;
    UUID webhookId;
    String webhookSecret;
    try (var server = StandaloneServer.start(settings(oldKey, null))) {
      Api api = server.api(TOKEN);
      String project = id(api.post("/api/v1/projects", Map.of("name", "vault")));
      String service =
          id(
              api.post(
                  "/api/v1/projects/" + project + "/services",
                  Map.of("name", "web", "image", "127.0.0.1:5000/syntra-test/httpd:1")));
      envPath = "/api/v1/services/" + service + "/env";
      assertThat(api.put(envPath, Map.of("vars", Map.of("API_KEY", "s3cret"))).status())
          .isEqualTo(200);
      Api.Response hook =
          api.post(
              "/api/v1/webhooks", Map.of("url", WEBHOOK_URL, "events", java.util.List.of("*")));
      assertThat(hook.status()).as(hook.toString()).isEqualTo(201);
      webhookId = UUID.fromString(hook.json().get("id").stringValue());
      webhookSecret = hook.json().get("secret").stringValue();
    }

    assertThatThrownBy(() -> StandaloneServer.start(settings(newKey, null)).close())
        .hasStackTraceContaining("SYNTRA_MASTER_KEY: the stored secrets are sealed under another");

    try (var server = StandaloneServer.start(settings(newKey, oldKey))) {
      assertThat(revealed(server.api(TOKEN), envPath)).contains("s3cret");
    }

    try (var server = StandaloneServer.start(settings(newKey, null))) {
      assertThat(revealed(server.api(TOKEN), envPath)).contains("s3cret");
      assertThat(webhookSecret(server, newKey, webhookId)).isEqualTo(webhookSecret);
    }
    assertThatThrownBy(() -> StandaloneServer.start(settings(oldKey, null)).close())
        .hasStackTraceContaining("SYNTRA_MASTER_KEY: the stored secrets are sealed under another");
  }

  @Test
  void aWrongPreviousKeyChangesNothing() {
    String key = randomKey();
    try (var server = StandaloneServer.start(settings(key, null))) {
      String project = id(server.api(TOKEN).post("/api/v1/projects", Map.of("name", "p")));
      assertThat(project).isNotEmpty();
    }
    assertThatThrownBy(() -> StandaloneServer.start(settings(randomKey(), randomKey())).close())
        .hasStackTraceContaining("SYNTRA_MASTER_KEY: the stored secrets are sealed under another");
    try (var server = StandaloneServer.start(settings(key, null))) {
      assertThat(server.api(TOKEN).get("/api/v1/projects").status()).isEqualTo(200);
    }
  }

  private Map<String, String> settings(String key, String previous) {
    Map<String, String> settings = new HashMap<>();
    settings.put("SYNTRA_DATA_DIR", dataDir.toString());
    settings.put("SYNTRA_BOOTSTRAP_TOKEN", TOKEN);
    settings.put("SYNTRA_MASTER_KEY", key);
    settings.put("SYNTRA_MASTER_KEY_PREVIOUS", previous == null ? "" : previous);
    return settings;
  }

  private static String revealed(Api api, String envPath) {
    Api.Response response = api.get(envPath + "?reveal=true");
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.text();
  }

  /** The webhook's stored secret, opened with {@code key} as a fresh box would. */
  private static String webhookSecret(StandaloneServer server, String key, UUID webhookId) {
    SecretBox box = new SecretBox(MasterKey.parse(key, "test key"));
    Tenancy tenancy = server.bean(Tenancy.class);
    UUID orgId =
        tenancy.withoutOrg(
            null,
            h -> h.createQuery("SELECT * FROM syntra_organization_ids()").mapTo(UUID.class).one());
    return tenancy.inOrg(
        orgId,
        null,
        h ->
            h.createQuery("SELECT secret_ciphertext, key_version FROM webhooks WHERE id = :id")
                .bind("id", webhookId)
                .map((rs, ctx) ->
                    box.open(
                        orgId,
                        rs.getInt("key_version"),
                        rs.getBytes("secret_ciphertext"),
                        WebhookSecrets.associatedData(webhookId)))
                .one());
  }

  private static String id(Api.Response response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    return response.json().get("id").stringValue();
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }
}
