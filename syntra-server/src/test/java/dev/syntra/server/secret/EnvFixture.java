package dev.syntra.server.secret;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.server.Api;
import dev.syntra.server.Tenants;
import dev.syntra.server.crypto.SecretBox;
import dev.syntra.server.db.Ids;
import dev.syntra.server.db.Tenancy;
import dev.syntra.server.webhook.WebhookSecrets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** An organization with a project {@code shop} and services created through the API. */
final class EnvFixture {
  final Tenants.Member owner;
  final Api client;
  final String projectId;
  private final Map<String, String> serviceIds = new LinkedHashMap<>();

  EnvFixture(Api api, Tenants tenants, String... services) {
    this.owner = tenants.newOrganization();
    this.client = api.as(owner.token());
    this.projectId = id(client.post("/api/v1/projects", Map.of("name", "shop")));
    for (String name : services) {
      serviceIds.put(
          name,
          id(
              client.post(
                  "/api/v1/projects/" + projectId + "/services",
                  Map.of("name", name, "image", "busybox:1"))));
    }
  }

  String service(String name) {
    return serviceIds.get(name);
  }

  String serviceEnv(String name) {
    return "/api/v1/services/" + service(name) + "/env";
  }

  String projectEnv() {
    return "/api/v1/projects/" + projectId + "/env";
  }

  Api.Response put(String path, Map<String, String> vars) {
    Api.Response response = client.put(path, Map.of("vars", vars));
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response;
  }

  /** The revealed variables of an env path, as the owner (an admin) sees them. */
  Map<String, String> revealed(String path) {
    Api.Response response = client.get(path + "?reveal=true");
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    Map<String, String> vars = new LinkedHashMap<>();
    for (JsonNode node : response.json().get("data")) {
      assertThat(node.get("masked").booleanValue()).isFalse();
      vars.put(node.get("key").stringValue(), node.get("value").stringValue());
    }
    return vars;
  }

  /** The audit entries of the organization: action and details as JSON text, oldest first. */
  List<Map.Entry<String, String>> audit(Tenancy tenancy) {
    return tenancy.inOrg(
        owner.orgId(),
        null,
        h ->
            h.createQuery(
                    "SELECT action, details::text AS details FROM audit_log WHERE org_id = :org"
                        + " ORDER BY id")
                .bind("org", owner.orgId())
                .map((rs, ctx) -> Map.entry(rs.getString("action"), rs.getString("details")))
                .list());
  }

  /** Subscribes a webhook row to every event, sealing its secret as the webhook code will. */
  UUID webhook(Tenancy tenancy, SecretBox box, String secret) {
    UUID id = Ids.next();
    tenancy.inOrg(
        owner.orgId(),
        null,
        h ->
            h.createUpdate(
                    "INSERT INTO webhooks (id, org_id, url, secret_ciphertext, key_version, events)"
                        + " VALUES (:id, :org, 'http://127.0.0.1:9/hook', :secret, 1, :events)")
                .bind("id", id)
                .bind("org", owner.orgId())
                .bind(
                    "secret", box.seal(owner.orgId(), 1, secret, WebhookSecrets.associatedData(id)))
                .bind("events", new String[] {"*"})
                .execute());
    return id;
  }

  static List<String> paths(Api.Response problem) {
    List<String> paths = new ArrayList<>();
    for (JsonNode error : problem.json().get("errors")) {
      paths.add(error.get("path").stringValue());
    }
    return paths;
  }

  static String id(Api.Response response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    return response.json().get("id").stringValue();
  }
}
