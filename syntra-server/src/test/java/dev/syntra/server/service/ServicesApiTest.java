package dev.syntra.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.server.Api;
import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.Tenants;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ServicesApiTest extends ServerTestSupport {
  private Api client;
  private String projectId;
  private String domain;

  @BeforeEach
  void setUp() {
    Tenants.Member owner = tenants.newOrganization();
    client = api.as(owner.token());
    domain = "shop-" + owner.orgId() + ".example.com";
    projectId =
        client.post("/api/v1/projects", Map.of("name", "shop")).json().get("id").stringValue();
  }

  @Test
  void createsAServiceWithFullConfiguration() {
    Api.Response created =
        client.post(
            "/api/v1/projects/" + projectId + "/services",
            Map.of(
                "name",
                "web",
                "image",
                "127.0.0.1:5000/shop/web:1.4.2",
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
                Map.of("path", "/healthz", "interval_ms", 2000, "retries", 5),
                "auto_deploy",
                true));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonNode service = created.json();
    assertThat(service.get("image").stringValue()).isEqualTo("127.0.0.1:5000/shop/web:1.4.2");
    assertThat(service.get("internal_dns").stringValue()).isEqualTo("web.shop.internal");
    assertThat(service.get("publish").get("host_port").intValue()).isEqualTo(18080);
    assertThat(service.get("health_check").get("timeout_ms").intValue()).isEqualTo(3000);
    assertThat(service.get("type").stringValue()).isEqualTo("app");

    String id = service.get("id").stringValue();
    Api.Response patched =
        client.patch("/api/v1/services/" + id, Map.of("replicas", 3, "image", "busybox"));
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    assertThat(patched.json().get("replicas").intValue()).isEqualTo(3);
    assertThat(patched.json().get("image").stringValue()).isEqualTo("busybox");
    assertThat(patched.json().get("domains").get(0).stringValue()).isEqualTo(domain);

    var clearPublish = new java.util.HashMap<String, Object>();
    clearPublish.put("publish", null);
    assertThat(client.patch("/api/v1/services/" + id, clearPublish).json().get("publish").isNull())
        .isTrue();

    JsonNode list = client.get("/api/v1/projects/" + projectId + "/services").json();
    assertThat(list.get("data")).hasSize(1);
    assertThat(client.delete("/api/v1/services/" + id).status()).isEqualTo(204);
    assertThat(client.get("/api/v1/services/" + id).status()).isEqualTo(404);
  }

  @Test
  void refusesInvalidConfigurationListingEveryField() {
    Api.Response response =
        client.post(
            "/api/v1/projects/" + projectId + "/services",
            Map.of(
                "name",
                "Web_App",
                "image",
                "UPPER:case",
                "replicas",
                -1,
                "memory_bytes",
                1024,
                "publish",
                Map.of("host_ip", "localhost", "host_port", 70000),
                "health_check",
                Map.of("path", "healthz"),
                "domains",
                List.of("ok.example.com", "NOT VALID")));
    assertThat(response.status()).isEqualTo(400);
    Set<String> paths = new HashSet<>();
    response.json().get("errors").forEach(e -> paths.add(e.get("path").stringValue()));
    assertThat(paths)
        .contains(
            "$.name",
            "$.image",
            "$.replicas",
            "$.memory_bytes",
            "$.publish.host_ip",
            "$.publish.host_port",
            "$.health_check.path",
            "$.domains[1]");
  }

  @Test
  void requiresAnImageForImageSourcesAndAPortForDomains() {
    Api.Response response =
        client.post(
            "/api/v1/projects/" + projectId + "/services",
            Map.of("name", "api", "domains", List.of("api.example.com")));
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.text()).contains("$.image").contains("$.domains");
  }

  @Test
  void renamingTheProjectMovesInternalDnsNames() {
    String id =
        client
            .post(
                "/api/v1/projects/" + projectId + "/services",
                Map.of("name", "db", "image", "postgres:17"))
            .json()
            .get("id")
            .stringValue();
    client.patch("/api/v1/projects/" + projectId, Map.of("slug", "store"));
    assertThat(client.get("/api/v1/services/" + id).json().get("internal_dns").stringValue())
        .isEqualTo("db.store.internal");
  }
}
