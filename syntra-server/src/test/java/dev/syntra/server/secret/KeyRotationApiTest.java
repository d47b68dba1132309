package dev.syntra.server.secret;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.server.Api;
import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.auth.Role;
import dev.syntra.server.auth.Scope;
import dev.syntra.server.crypto.SecretBox;
import dev.syntra.server.webhook.WebhookSecrets;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** {@code POST /api/v1/organizations/{id}/keys/rotate}. */
class KeyRotationApiTest extends ServerTestSupport {
  @Autowired private SecretBox box;
  private EnvFixture shop;
  private String rotate;

  private record Row(String key, String ciphertext, int keyVersion) {}

  @BeforeEach
  void setUp() {
    shop = new EnvFixture(api, tenants, "web");
    rotate = "/api/v1/organizations/" + shop.owner.orgId() + "/keys/rotate";
  }

  @Test
  void rotationReSealsEverySecretUnderANewVersionAndKeepsThemReadable() {
    shop.put(shop.serviceEnv("web"), Map.of("A", "alpha", "B", "beta"));
    shop.put(shop.projectEnv(), Map.of("P", "project"));
    UUID webhook = shop.webhook(tenancy, box, "whsec-123");
    List<Row> before = rows();
    assertThat(before).extracting(Row::keyVersion).containsOnly(1);
    assertThat(organizationKeyVersion()).isEqualTo(1);

    Api.Response rotated = shop.client.post(rotate, null);
    assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
    JsonNode result = rotated.json();
    assertThat(result.get("key_version").intValue()).isEqualTo(2);
    assertThat(result.get("env_vars").intValue()).isEqualTo(3);
    assertThat(result.get("webhooks").intValue()).isEqualTo(1);

    List<Row> after = rows();
    assertThat(after).extracting(Row::keyVersion).containsOnly(2);
    assertThat(after)
        .extracting(Row::key)
        .containsExactlyElementsOf(before.stream().map(Row::key).toList());
    for (int i = 0; i < before.size(); i++) {
      assertThat(after.get(i).ciphertext()).isNotEqualTo(before.get(i).ciphertext());
    }
    assertThat(organizationKeyVersion()).isEqualTo(2);
    assertThat(shop.revealed(shop.serviceEnv("web")))
        .containsExactly(Map.entry("A", "alpha"), Map.entry("B", "beta"));
    assertThat(shop.revealed(shop.projectEnv())).containsExactly(Map.entry("P", "project"));
    assertThat(webhookSecret(webhook, 2)).isEqualTo("whsec-123");

    shop.put(shop.serviceEnv("web"), Map.of("C", "gamma"));
    assertThat(rows())
        .filteredOn(r -> r.key().equals("C"))
        .extracting(Row::keyVersion)
        .containsExactly(2);
    assertThat(shop.client.post(rotate, null).json().get("key_version").intValue()).isEqualTo(3);
    assertThat(shop.revealed(shop.serviceEnv("web")))
        .containsEntry("C", "gamma")
        .containsEntry("A", "alpha");

    assertThat(shop.audit(tenancy))
        .filteredOn(e -> e.getKey().equals("keys.rotated"))
        .extracting(Map.Entry::getValue)
        .containsExactly(
            "{\"env_vars\": 3, \"webhooks\": 1, \"key_version\": 2, \"agent_commands\": 0}",
            "{\"env_vars\": 4, \"webhooks\": 1, \"key_version\": 3, \"agent_commands\": 0}");
  }

  @Test
  void onlyTheOwnerOfThisOrganizationMayRotate() {
    Api admin =
        api.as(tenants.newMember(shop.owner, Role.ADMIN, EnumSet.allOf(Scope.class)).token());
    Api developer =
        api.as(tenants.newMember(shop.owner, Role.DEVELOPER, EnumSet.allOf(Scope.class)).token());
    Api ownerWithoutAdminScope =
        api.as(tenants.newToken(shop.owner, Set.of(Scope.READ, Scope.WRITE)).token());
    for (Api refused : List.of(admin, developer, ownerWithoutAdminScope)) {
      assertThat(refused.post(rotate, null).status()).isEqualTo(403);
    }
    Api otherOwner = api.as(tenants.newOrganization().token());
    Api.Response foreign = otherOwner.post(rotate, null);
    assertThat(foreign.status()).isEqualTo(404);
    assertThat(
            shop.client
                .post("/api/v1/organizations/" + UUID.randomUUID() + "/keys/rotate", null)
                .status())
        .isEqualTo(404);
    assertThat(shop.client.post("/api/v1/organizations/not-a-uuid/keys/rotate", null).status())
        .isEqualTo(404);
    assertThat(organizationKeyVersion()).isEqualTo(1);
  }

  @Test
  void aSecretThatCannotBeOpenedStopsTheRotationWithNothingChanged() {
    shop.put(shop.serviceEnv("web"), Map.of("A", "alpha", "B", "beta"));
    tenancy.inOrg(
        shop.owner.orgId(),
        null,
        h ->
            h.createUpdate(
                    "UPDATE env_vars SET ciphertext = set_byte(ciphertext, 20, get_byte(ciphertext, 20) # 1)"
                        + " WHERE org_id = :org AND key = 'B'")
                .bind("org", shop.owner.orgId())
                .execute());
    List<Row> before = rows();
    Api.Response failed = shop.client.post(rotate, null);
    assertThat(failed.status()).isEqualTo(500);
    assertThat(failed.json().get("code").stringValue()).isEqualTo("undecryptable_secret");
    assertThat(failed.text()).doesNotContain("alpha");
    assertThat(organizationKeyVersion()).isEqualTo(1);
    assertThat(rows()).isEqualTo(before);
  }

  private List<Row> rows() {
    return tenancy.inOrg(
        shop.owner.orgId(),
        null,
        h ->
            h.createQuery(
                    "SELECT key, ciphertext, key_version FROM env_vars WHERE org_id = :org ORDER BY id")
                .bind("org", shop.owner.orgId())
                .map((rs, ctx) ->
                    new Row(
                        rs.getString("key"),
                        HexFormat.of().formatHex(rs.getBytes("ciphertext")),
                        rs.getInt("key_version")))
                .list());
  }

  private int organizationKeyVersion() {
    return tenancy.inOrg(
        shop.owner.orgId(),
        null,
        h ->
            h.createQuery("SELECT key_version FROM organizations WHERE id = :org")
                .bind("org", shop.owner.orgId())
                .mapTo(Integer.class)
                .one());
  }

  private String webhookSecret(UUID webhook, int expectedVersion) {
    return tenancy.inOrg(
        shop.owner.orgId(),
        null,
        h ->
            h.createQuery("SELECT secret_ciphertext, key_version FROM webhooks WHERE id = :id")
                .bind("id", webhook)
                .map((rs, ctx) -> {
                  assertThat(rs.getInt("key_version")).isEqualTo(expectedVersion);
                  return box.open(
                      shop.owner.orgId(),
                      expectedVersion,
                      rs.getBytes("secret_ciphertext"),
                      WebhookSecrets.associatedData(webhook));
                })
                .one());
  }
}
