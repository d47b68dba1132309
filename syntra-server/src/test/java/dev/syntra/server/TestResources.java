package dev.syntra.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.server.db.Ids;
import dev.syntra.server.db.Tenancy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One of every kind of resource in a fresh organization, created the way users create them (through
 * the API where it can), for the endpoint walkers. Keys are resource kinds as {@link
 * Endpoints#kindOf} names them.
 */
public record TestResources(Tenants.Member owner, Map<String, String> ids, String secretMarker) {

  public static TestResources create(Api api, Tenants tenants, Tenancy tenancy) {
    Tenants.Member owner = tenants.newOrganization();
    Api client = api.as(owner.token());
    Map<String, String> ids = new LinkedHashMap<>();
    String marker = "marker" + UUID.randomUUID().toString().replace("-", "");
    ids.put("organization", owner.orgId().toString());
    ids.put("user", owner.userId().toString());
    ids.put("token", owner.tokenId().toString());

    String project =
        created(client.post("/api/v1/projects", Map.of("name", "iso-" + marker.substring(6, 14))));
    ids.put("project", project);
    String service =
        created(
            client.post(
                "/api/v1/projects/" + project + "/services",
                Map.of("name", "web", "image", "busybox:1", "port", 8080)));
    ids.put("service", service);

    Api.Response env =
        client.put(
            "/api/v1/services/" + service + "/env",
            Map.of("vars", Map.of("ISOLATION_KEY", marker)));
    assertThat(env.status()).as(env.toString()).isEqualTo(200);
    ids.put("key", "ISOLATION_KEY");

    UUID deployment = Ids.next();
    tenancy.inOrg(
        owner.orgId(),
        owner.userId(),
        h ->
            h.createUpdate(
                    "INSERT INTO deployments (id, org_id, service_id, status, image)"
                        + " VALUES (:id, :org, :service, 'running', 'busybox:1')")
                .bind("id", deployment)
                .bind("org", owner.orgId())
                .bind("service", UUID.fromString(service))
                .execute());
    ids.put("deployment", deployment.toString());
    // An event whose text only organization A may read (the detail and the event stream show it).
    tenancy.inOrg(
        owner.orgId(),
        owner.userId(),
        h ->
            h.createUpdate(
                    "INSERT INTO deployment_events (id, org_id, deployment_id, status, message)"
                        + " VALUES (:id, :org, :deployment, 'running', :message)")
                .bind("id", Ids.next())
                .bind("org", owner.orgId())
                .bind("deployment", deployment)
                .bind("message", "serving " + marker)
                .execute());

    Api.Response server = client.post("/api/v1/servers", Map.of("name", "iso"));
    assertThat(server.status()).as(server.toString()).isEqualTo(201);
    ids.put("server", server.json().get("server").get("id").stringValue());
    ids.put(
        "invitation",
        created(
            client.post(
                "/api/v1/organizations/" + owner.orgId() + "/invitations",
                Map.of("email", marker + "@example.com", "role", "viewer"))));
    // Webhooks must be public https URLs here; the shared test context never delivers them.
    String webhook =
        created(
            client.post(
                "/api/v1/webhooks",
                Map.of("url", "https://203.0.113.10/hooks/" + marker, "events", List.of("*"))));
    ids.put("webhook", webhook);
    assertThat(client.post("/api/v1/webhooks/" + webhook + "/test", Map.of()).status())
        .isEqualTo(202);
    ids.put(
        "delivery",
        client
            .get("/api/v1/webhooks/" + webhook + "/deliveries")
            .json()
            .get("data")
            .get(0)
            .get("id")
            .stringValue());
    return new TestResources(owner, Map.copyOf(ids), marker);
  }

  static String created(Api.Response response) {
    assertThat(response.status()).as(response.toString()).isIn(List.of(200, 201));
    return response.json().get("id").stringValue();
  }
}
