package dev.syntra.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.json.MessageCodec;
import dev.syntra.protocol.message.Command;
import dev.syntra.server.Api;
import dev.syntra.server.Tenants;
import dev.syntra.server.command.AgentCommandSecrets;
import dev.syntra.server.crypto.SecretBox;
import dev.syntra.server.db.Tenancy;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * A fresh organization with project {@code shop}, service {@code web} (port 8080 published on
 * 127.0.0.1:18080, limits, a domain, a health check) and a server whose agent has registered (set
 * directly: the agent hub is tested on its own).
 */
final class DeployFixture {
  final Tenants.Member owner;
  final Api client;
  final UUID project;
  final UUID service;
  final UUID server;

  /** The service's domain, unique per fixture: a host name belongs to one service at a time. */
  final String domain;

  private final Tenancy tenancy;

  DeployFixture(Api api, Tenants tenants, Tenancy tenancy) {
    this.tenancy = tenancy;
    owner = tenants.newOrganization();
    domain = "shop-" + owner.orgId() + ".example.com";
    client = api.as(owner.token());
    project = id(client.post("/api/v1/projects", Map.of("name", "shop")));
    server =
        UUID.fromString(
            ok(client.post("/api/v1/servers", Map.of("name", "box-1")))
                .get("server")
                .get("id")
                .stringValue());
    registerAgent(server);
    service =
        id(
            client.post(
                "/api/v1/projects/" + project + "/services",
                Map.of(
                    "name",
                    "web",
                    "image",
                    "127.0.0.1:5000/syntra-test/httpd:1",
                    "port",
                    8080,
                    "publish",
                    Map.of("host_ip", "127.0.0.1", "host_port", 18080),
                    "replicas",
                    2,
                    "cpu_millis",
                    500,
                    "memory_bytes",
                    268435456,
                    "domains",
                    List.of(domain),
                    "health_check",
                    Map.of("path", "/healthz", "interval_ms", 2000),
                    "server_id",
                    server.toString())));
  }

  /** Marks the server's agent as registered, as the hub does when it exchanges the token. */
  void registerAgent(UUID serverId) {
    tenancy.inOrg(
        owner.orgId(),
        null,
        h ->
            h.createUpdate(
                    "UPDATE servers SET agent_id = :agent, registered_at = now(),"
                        + " agent_status = 'online' WHERE id = :id")
                .bind("agent", "agt_" + UUID.randomUUID().toString().replace("-", ""))
                .bind("id", serverId)
                .execute());
  }

  String deployPath() {
    return "/api/v1/services/" + service + "/deploy";
  }

  /** Deploys with {@code body}; returns the deployment id. */
  UUID deploy(Map<String, ?> body) {
    Api.Response response = client.post(deployPath(), body);
    assertThat(response.status()).as(response.toString()).isEqualTo(202);
    return UUID.fromString(response.json().get("id").stringValue());
  }

  /** A stored command row, decrypted. */
  record StoredCommand(UUID id, String type, String status, Command command) {}

  /** The commands queued for {@code deploymentId}, oldest first. */
  List<StoredCommand> commands(SecretBox box, UUID deploymentId) {
    return stored(box, "deployment_id = :d", deploymentId);
  }

  /** Every command queued for the service (of any deployment or none), oldest first. */
  List<StoredCommand> serviceCommands(SecretBox box) {
    return stored(box, "service_id = :d", service);
  }

  private List<StoredCommand> stored(SecretBox box, String condition, UUID key) {
    MessageCodec codec = MessageCodec.create();
    return tenancy.inOrg(
        owner.orgId(),
        null,
        h ->
            h.createQuery(
                    "SELECT id, type, status, ciphertext, key_version FROM agent_commands"
                        + " WHERE "
                        + condition
                        + " ORDER BY created_at, id")
                .bind("d", key)
                .map((rs, ctx) -> {
                  UUID id = rs.getObject("id", UUID.class);
                  String json =
                      box.open(
                          owner.orgId(),
                          rs.getInt("key_version"),
                          rs.getBytes("ciphertext"),
                          AgentCommandSecrets.associatedData(id));
                  return new StoredCommand(
                      id,
                      rs.getString("type"),
                      rs.getString("status"),
                      (Command) codec.decode(json).payload());
                })
                .list());
  }

  void markCommandsSent(UUID deploymentId) {
    tenancy.inOrg(
        owner.orgId(),
        null,
        h ->
            h.createUpdate(
                    "UPDATE agent_commands SET status = 'sent', sent_at = now()"
                        + " WHERE deployment_id = :d")
                .bind("d", deploymentId)
                .execute());
  }

  /** Webhook deliveries of {@code type} queued for this organization. */
  long deliveries(String type) {
    return tenancy.inOrg(
        owner.orgId(),
        null,
        h ->
            h.createQuery(
                    "SELECT count(*) FROM webhook_deliveries WHERE org_id = :org"
                        + " AND event_type = :type")
                .bind("org", owner.orgId())
                .bind("type", type)
                .mapTo(Long.class)
                .one());
  }

  /** A webhook for every event (never delivered: the shared test context does not send). */
  void subscribeWebhook() {
    ok(
        client.post(
            "/api/v1/webhooks",
            Map.of("url", "https://203.0.113.10/hooks/deploys", "events", List.of("*"))));
  }

  static UUID id(Api.Response response) {
    return UUID.fromString(ok(response).get("id").stringValue());
  }

  static JsonNode ok(Api.Response response) {
    assertThat(response.status()).as(response.toString()).isBetween(200, 299);
    return response.json();
  }
}
