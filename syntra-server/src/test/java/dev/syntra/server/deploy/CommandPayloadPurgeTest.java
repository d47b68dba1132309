package dev.syntra.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.server.Api;
import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.command.CommandPayloadPurge;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The sealed payload of a finished agent command (a deploy spec carries decrypted env vars) is
 * dropped once the retention has passed; the command's history stays readable.
 */
class CommandPayloadPurgeTest extends ServerTestSupport {
  @Autowired CommandPayloadPurge purge;

  private DeployFixture shop;

  @BeforeEach
  void setUp() {
    shop = new DeployFixture(api, tenants, tenancy);
  }

  @Test
  void finishedPayloadsGoAfterTheRetentionAndTheHistoryStays() {
    UUID deployment = shop.deploy(Map.of());
    String base = "/api/v1/services/" + shop.service;
    UUID restart = commandId(shop.client.post(base + "/restart", null));
    UUID pending = commandId(shop.client.post(base + "/stop", Map.of()));
    UUID deployCommand = commandOf(deployment);
    finish(deployCommand, "succeeded", "1 hour");
    finish(restart, "failed", "1 second");

    assertThat(purge.purgeExpired()).isGreaterThanOrEqualTo(1);

    assertThat(hasPayload(deployCommand)).isFalse();
    assertThat(hasPayload(restart)).as("finished within the retention").isTrue();
    assertThat(hasPayload(pending)).as("not finished").isTrue();
    JsonNode history = DeployFixture.ok(shop.client.get(base + "/commands"));
    // Every deploy first tells the agent the service's telemetry settings.
    assertThat(history.get("data").findValuesAsString("type"))
        .containsExactly("stop", "restart", "deploy", "configure_telemetry");
    assertThat(history.get("data").findValuesAsString("status"))
        .containsExactly("queued", "failed", "succeeded", "queued");
    assertThat(shop.client.get("/api/v1/deployments/" + deployment).status()).isEqualTo(200);
  }

  private UUID commandOf(UUID deployment) {
    return tenancy.inOrg(
        shop.owner.orgId(),
        null,
        h ->
            h.createQuery("SELECT id FROM agent_commands WHERE deployment_id = :d")
                .bind("d", deployment)
                .mapTo(UUID.class)
                .one());
  }

  private void finish(UUID command, String status, String ago) {
    tenancy.inOrg(
        shop.owner.orgId(),
        null,
        h ->
            h.createUpdate(
                    "UPDATE agent_commands SET status = :status,"
                        + " finished_at = now() - CAST(:ago AS interval) WHERE id = :id")
                .bind("status", status)
                .bind("ago", ago)
                .bind("id", command)
                .execute());
  }

  private boolean hasPayload(UUID command) {
    return tenancy.inOrg(
        shop.owner.orgId(),
        null,
        h ->
            h.createQuery("SELECT ciphertext IS NOT NULL FROM agent_commands WHERE id = :id")
                .bind("id", command)
                .mapTo(Boolean.class)
                .one());
  }

  private static UUID commandId(Api.Response response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(202);
    return UUID.fromString(response.json().get("id").stringValue());
  }
}
