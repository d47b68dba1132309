package dev.syntra.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The server's own surface: bootstrap token, health, metrics, OpenAPI, limits. */
class PlatformTest extends ServerTestSupport {

  @Test
  void theBootstrapTokenAdministersTheDefaultOrganization() {
    Api admin = api.as(BOOTSTRAP_TOKEN);
    Api.Response created =
        admin.post("/api/v1/projects", Map.of("name", "from-bootstrap-" + System.nanoTime()));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
  }

  @Test
  void healthIsOpenAndMetricsNeedTheMetricsToken() {
    Api.Response health = api.get("/actuator/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().get("status").stringValue()).isEqualTo("UP");

    assertThat(api.get("/actuator/prometheus").status()).isEqualTo(401);
    assertThat(api.as(BOOTSTRAP_TOKEN).get("/actuator/prometheus").status()).isEqualTo(401);
    Api.Response metrics = api.as(METRICS_TOKEN).get("/actuator/prometheus");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.text())
        .contains("http_server_requests_seconds")
        .contains("hikaricp_connections");
  }

  @Test
  void servesAnOpenApiDocumentOfTheRestApi() {
    Api.Response doc = api.get("/api/v1/openapi.json");
    assertThat(doc.status()).isEqualTo(200);
    assertThat(doc.json().get("openapi").stringValue()).startsWith("3.");
    assertThat(doc.json().get("paths").has("/api/v1/projects")).isTrue();
    assertThat(doc.json().get("paths").has("/api/v1/services/{id}")).isTrue();
  }

  @Test
  void refusesOversizedBodiesWith413() {
    String huge = "{\"name\":\"" + "x".repeat(2 << 20) + "\"}";
    Api.Response response =
        api.as(tenants.newOrganization().token()).post("/api/v1/projects", huge);
    assertThat(response.status()).isEqualTo(413);
    assertThat(response.json().get("code").stringValue()).isEqualTo("body_too_large");
  }

  @Test
  void refusesOversizedChunkedBodiesWith413() throws Exception {
    String token = tenants.newOrganization().token();
    byte[] huge = ("{\"name\":\"" + "x".repeat(2 << 20) + "\"}").getBytes();
    var request =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/projects"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(
                java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                    () -> new java.io.ByteArrayInputStream(huge)))
            .build();
    var response =
        java.net.http.HttpClient.newHttpClient()
            .send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("body_too_large");
  }

  @Test
  void refusesEncodedAndDotSegmentPathsSoNoFilterCanBeBypassed() {
    for (String path :
        new String[] {
          "/%61ctuator/prometheus",
          "/%61pi/v1/projects",
          "/api/v1/projects;x=1",
          "/api//v1/projects",
          "/api/v1/./projects"
        }) {
      Api.Response response = api.get(path);
      assertThat(response.status()).as(path).isEqualTo(400);
      assertThat(response.text()).doesNotContain("http_server_requests");
    }
  }

  @Test
  void refusesControlCharactersInsteadOfFailingInTheDatabase() {
    Api client = api.as(tenants.newOrganization().token());
    Api.Response response = client.post("/api/v1/projects", Map.of("name", "a\u0000b"));
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.text()).contains("$.name");
    assertThat(client.get("/api/v1/projects").header("Cache-Control")).isEqualTo("no-store");
  }

  @Test
  void rateLimitsPerOrganizationAndPlanWithRetryAfter() {
    // ServerTestSupport sets the 'pro' plan to 5 requests per minute.
    Api client = api.as(tenants.newOrganization("pro").token());
    for (int i = 0; i < 5; i++) {
      assertThat(client.get("/api/v1/projects").status()).isEqualTo(200);
    }
    Api.Response limited = client.get("/api/v1/projects");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 60);
    assertThat(limited.json().get("code").stringValue()).isEqualTo("rate_limited");
    Api other = api.as(tenants.newOrganization("pro").token());
    assertThat(other.get("/api/v1/projects").status()).isEqualTo(200);
  }

  @Test
  void unknownRoutesAndMethodsAnswerWithProblems() {
    Api client = api.as(tenants.newOrganization().token());
    Api.Response missing = client.get("/api/v1/nothing-here");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
    assertThat(client.send("PUT", "/api/v1/projects", "{}", "application/json").status())
        .isEqualTo(405);
  }
}
