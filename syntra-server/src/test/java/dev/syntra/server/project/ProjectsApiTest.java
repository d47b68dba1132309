package dev.syntra.server.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.server.Api;
import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.Tenants;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ProjectsApiTest extends ServerTestSupport {
  private Tenants.Member owner;
  private Api client;

  @BeforeEach
  void setUp() {
    owner = tenants.newOrganization();
    client = api.as(owner.token());
  }

  @Test
  void createsReadsUpdatesAndDeletesAProject() {
    Api.Response created =
        client.post("/api/v1/projects", Map.of("name", "My Shop!", "description", "storefront"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.json().get("id").stringValue();
    assertThat(created.header("Location")).isEqualTo("/api/v1/projects/" + id);
    assertThat(created.json().get("slug").stringValue()).isEqualTo("my-shop");
    assertThat(created.json().has("created_at")).isTrue();

    assertThat(client.get("/api/v1/projects/" + id).json().get("name").stringValue())
        .isEqualTo("My Shop!");

    Api.Response patched = client.patch("/api/v1/projects/" + id, Map.of("slug", "shop"));
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    assertThat(patched.json().get("slug").stringValue()).isEqualTo("shop");
    assertThat(patched.json().get("description").stringValue()).isEqualTo("storefront");

    assertThat(client.delete("/api/v1/projects/" + id).status()).isEqualTo(204);
    assertThat(client.get("/api/v1/projects/" + id).status()).isEqualTo(404);
  }

  @Test
  void paginatesWithCursors() {
    for (int i = 0; i < 5; i++) {
      assertThat(client.post("/api/v1/projects", Map.of("name", "p" + i)).status()).isEqualTo(201);
    }
    Set<String> seen = new HashSet<>();
    String cursor = "";
    int pages = 0;
    do {
      JsonNode page = client.get("/api/v1/projects?limit=2&cursor=" + cursor).json();
      page.get("data").forEach(p -> seen.add(p.get("slug").stringValue()));
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").stringValue();
      pages++;
    } while (cursor != null);
    assertThat(seen).containsExactlyInAnyOrder("p0", "p1", "p2", "p3", "p4");
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void refusesBadBodiesWithFieldPaths() {
    Api.Response response =
        client.post("/api/v1/projects", Map.of("name", 42, "slug", "Not A Slug", "colour", "red"));
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    assertThat(response.json().get("code").stringValue()).isEqualTo("invalid_request");
    assertThat(paths(response)).containsExactlyInAnyOrder("$.name", "$.slug", "$.colour");

    Api.Response malformed =
        client.send("POST", "/api/v1/projects", "{\"name\":", "application/json");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.json().get("code").stringValue()).isEqualTo("malformed_json");

    assertThat(client.post("/api/v1/projects", "[]").status()).isEqualTo(400);
  }

  @Test
  void refusesDuplicateSlugsWithConflict() {
    assertThat(client.post("/api/v1/projects", Map.of("name", "dup")).status()).isEqualTo(201);
    Api.Response again = client.post("/api/v1/projects", Map.of("name", "dup"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().get("code").stringValue()).isEqualTo("conflict");
  }

  @Test
  void answersUnknownIdsWith404() {
    assertThat(client.get("/api/v1/projects/0190a1b2-0000-7000-8000-000000000000").status())
        .isEqualTo(404);
    assertThat(client.get("/api/v1/projects/not-a-uuid").status()).isEqualTo(404);
  }

  static Set<String> paths(Api.Response response) {
    Set<String> paths = new HashSet<>();
    response.json().get("errors").forEach(e -> paths.add(e.get("path").stringValue()));
    return paths;
  }
}
