package dev.syntra.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.message.ConfigureTelemetryCommand;
import dev.syntra.protocol.message.DeployCommand;
import dev.syntra.protocol.message.TelemetrySettings;
import dev.syntra.protocol.message.TelemetrySettings.PrometheusScrape;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.server.Api;
import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.auth.Role;
import dev.syntra.server.auth.Scope;
import dev.syntra.server.crypto.SecretBox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** {@code GET/PUT /services/{id}/telemetry}, the command it queues, and the OTEL_* deploy env. */
class TelemetryApiTest extends ServerTestSupport {
  @Autowired private SecretBox box;

  private DeployFixture shop;
  private String path;

  @BeforeEach
  void setUp() {
    shop = new DeployFixture(api, tenants, tenancy);
    path = "/api/v1/services/" + shop.service + "/telemetry";
  }

  private List<DeployFixture.StoredCommand> telemetryCommands() {
    return shop.serviceCommands(box).stream()
        .filter(c -> c.type().equals("configure_telemetry"))
        .toList();
  }

  @Test
  void defaultsUntilConfigured() {
    JsonNode view = DeployFixture.ok(shop.client.get(path));
    assertThat(view.get("trace_sample_ratio").doubleValue()).isEqualTo(1.0);
    assertThat(view.get("max_spans_per_second").intValue()).isEqualTo(1000);
    assertThat(view.get("max_log_lines_per_second").intValue()).isEqualTo(1000);
    assertThat(view.get("prometheus").isNull()).isTrue();
    assertThat(view.get("otel_inject").booleanValue()).isTrue();
    assertThat(view.get("otel_injected").booleanValue()).isTrue();
    assertThat(view.get("command_id").isNull()).isTrue();
  }

  @Test
  void aChangeIsStoredAuditedAndQueuedForTheAgent() {
    Api.Response put =
        shop.client.put(
            path,
            Map.of(
                "trace_sample_ratio",
                0.2,
                "max_spans_per_second",
                5000,
                "max_log_lines_per_second",
                200,
                "prometheus",
                Map.of("port", 9464, "interval_ms", 5000)));
    assertThat(put.status()).as(put.toString()).isEqualTo(200);
    JsonNode view = put.json();
    assertThat(view.get("prometheus").get("path").stringValue()).isEqualTo("/metrics");
    assertThat(view.get("prometheus").get("timeout_ms").longValue()).isEqualTo(5000);
    UUID commandId = UUID.fromString(view.get("command_id").stringValue());

    List<DeployFixture.StoredCommand> queued = telemetryCommands();
    assertThat(queued).hasSize(1);
    assertThat(queued.getFirst().id()).isEqualTo(commandId);
    assertThat(queued.getFirst().status()).isEqualTo("queued");
    assertThat(queued.getFirst().command())
        .isEqualTo(
            new ConfigureTelemetryCommand(
                RuntimeNames.serviceRef(shop.owner.orgId(), "shop", "web"),
                new TelemetrySettings(
                    0.2,
                    5000,
                    200,
                    new PrometheusScrape(
                        9464, "/metrics", Duration.ofSeconds(5), Duration.ofSeconds(5)))));

    JsonNode read = DeployFixture.ok(shop.client.get(path));
    assertThat(read.get("trace_sample_ratio").doubleValue()).isEqualTo(0.2);
    assertThat(read.get("prometheus").get("port").intValue()).isEqualTo(9464);
    JsonNode audit =
        DeployFixture.ok(shop.client.get("/api/v1/audit-log?action=service.telemetry_updated"));
    JsonNode details = audit.get("data").get(0).get("details");
    assertThat(details.get("command_id").stringValue()).isEqualTo(commandId.toString());
    assertThat(details.get("prometheus_port").intValue()).isEqualTo(9464);

    // A PUT replaces the whole configuration: no prometheus means no scrape.
    JsonNode cleared = DeployFixture.ok(shop.client.put(path, Map.of("trace_sample_ratio", 1)));
    assertThat(cleared.get("prometheus").isNull()).isTrue();
    assertThat(cleared.get("max_spans_per_second").intValue()).isEqualTo(1000);
    assertThat(telemetryCommands()).hasSize(2);
    assertThat(((ConfigureTelemetryCommand) telemetryCommands().get(1).command()).settings())
        .isEqualTo(TelemetrySettings.DEFAULTS);
  }

  @Test
  void invalidBodiesAreRefusedWithEveryBadField() {
    Api.Response bad =
        shop.client.put(
            path,
            Map.of(
                "trace_sample_ratio",
                1.5,
                "max_spans_per_second",
                0,
                "max_log_lines_per_second",
                "many",
                "otel_inject",
                "no",
                "prometheus",
                Map.of("port", 70000, "path", "metrics", "interval_ms", 999),
                "sampling",
                true));
    assertThat(paths(bad))
        .containsExactlyInAnyOrder(
            "$.trace_sample_ratio",
            "$.max_spans_per_second",
            "$.max_log_lines_per_second",
            "$.otel_inject",
            "$.prometheus.port",
            "$.prometheus.path",
            "$.prometheus.interval_ms",
            "$.sampling");
    Api.Response slow =
        shop.client.put(
            path,
            Map.of("prometheus", Map.of("port", 9464, "interval_ms", 2000, "timeout_ms", 3000)));
    assertThat(paths(slow)).containsExactly("$.prometheus.timeout_ms");
    assertThat(paths(shop.client.put(path, Map.of("prometheus", Map.of("path", "/m")))))
        .containsExactly("$.prometheus.port");
    assertThat(paths(shop.client.put(path, Map.of("trace_sample_ratio", "NaN"))))
        .containsExactly("$.trace_sample_ratio");
    Api.Response noBody = shop.client.put(path, null);
    assertThat(noBody.status()).isEqualTo(400);
    assertThat(noBody.header("Content-Type")).startsWith("application/problem+json");
    assertThat(telemetryCommands()).isEmpty();
    assertThat(DeployFixture.ok(shop.client.get(path)).get("trace_sample_ratio").doubleValue())
        .isEqualTo(1.0);
  }

  @Test
  void changingNeedsWriteAndAnotherOrganizationSeesNothing() {
    Api viewer = api.as(tenants.newMember(shop.owner, Role.VIEWER, Set.of(Scope.READ)).token());
    Api readOnlyDeveloper =
        api.as(tenants.newMember(shop.owner, Role.DEVELOPER, Set.of(Scope.READ)).token());
    Api deployOnly =
        api.as(tenants.newMember(shop.owner, Role.DEVELOPER, Set.of(Scope.DEPLOY)).token());
    Api writer = api.as(tenants.newMember(shop.owner, Role.DEVELOPER, Set.of(Scope.WRITE)).token());
    Map<String, Object> body = Map.of("trace_sample_ratio", 0.5);
    assertThat(viewer.get(path).status()).isEqualTo(200);
    assertThat(viewer.put(path, body).status()).isEqualTo(403);
    assertThat(readOnlyDeveloper.put(path, body).status()).isEqualTo(403);
    assertThat(deployOnly.put(path, body).status()).isEqualTo(403);
    assertThat(api.as("syn_pat_wrong").put(path, body).status()).isEqualTo(401);
    assertThat(api.as(null).get(path).status()).isEqualTo(401);
    Api other = api.as(tenants.newOrganization().token());
    assertThat(other.get(path).status()).isEqualTo(404);
    // Looked up before the body is read: even an invalid body is a 404.
    assertThat(other.put(path, Map.of("trace_sample_ratio", 9)).status()).isEqualTo(404);
    assertThat(telemetryCommands()).isEmpty();
    assertThat(writer.put(path, body).status()).isEqualTo(200);
    assertThat(telemetryCommands()).hasSize(1);
  }

  @Test
  void aServiceWithoutAnAgentKeepsItsSettingsForTheNextDeploy() {
    UUID lonely =
        UUID.fromString(
            DeployFixture.ok(
                    shop.client.post(
                        "/api/v1/projects/" + shop.project + "/services",
                        Map.of("name", "worker", "image", "127.0.0.1:5000/syntra-test/httpd:1")))
                .get("id")
                .stringValue());
    JsonNode view =
        DeployFixture.ok(
            shop.client.put(
                "/api/v1/services/" + lonely + "/telemetry", Map.of("max_spans_per_second", 7)));
    assertThat(view.get("command_id").isNull()).isTrue();
    assertThat(view.get("max_spans_per_second").intValue()).isEqualTo(7);
  }

  @Test
  void everyDeploySendsTheSettingsFirstAndInjectsTheOtelEnvironment() {
    DeployFixture.ok(shop.client.put(path, Map.of("trace_sample_ratio", 0.5)));
    UUID deployment = shop.deploy(Map.of());

    List<DeployFixture.StoredCommand> all = shop.serviceCommands(box);
    assertThat(all)
        .extracting(DeployFixture.StoredCommand::type)
        .containsExactly("configure_telemetry", "configure_telemetry", "deploy");
    assertThat(((ConfigureTelemetryCommand) all.get(1).command()).settings().traceSampleRatio())
        .isEqualTo(0.5);
    DeploySpec spec = ((DeployCommand) shop.commands(box, deployment).getFirst().command()).spec();
    assertThat(spec.env())
        .containsEntry("OTEL_SERVICE_NAME", "web")
        .containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", "http://host.docker.internal:4318")
        .containsEntry("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
        .containsEntry(
            "OTEL_RESOURCE_ATTRIBUTES",
            "syntra.service.id="
                + shop.service
                + ",syntra.deployment.id="
                + deployment
                + ",syntra.project.id="
                + shop.project);
  }

  @Test
  void userValuesWinExceptSyntraAttributes() {
    DeployFixture.ok(
        shop.client.put(
            "/api/v1/services/" + shop.service + "/env",
            Map.of(
                "vars",
                Map.of(
                    "OTEL_SERVICE_NAME", "storefront",
                    "OTEL_RESOURCE_ATTRIBUTES",
                        "team=shop,syntra.service.id=forged,deployment.environment=prod"))));
    UUID deployment =
        shop.deploy(Map.of("env", Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317")));
    Map<String, String> env =
        ((DeployCommand) shop.commands(box, deployment).getFirst().command()).spec().env();
    assertThat(env)
        .containsEntry("OTEL_SERVICE_NAME", "storefront")
        .containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317")
        .doesNotContainKey("OTEL_EXPORTER_OTLP_PROTOCOL")
        .containsEntry(
            "OTEL_RESOURCE_ATTRIBUTES",
            "syntra.service.id="
                + shop.service
                + ",syntra.deployment.id="
                + deployment
                + ",syntra.project.id="
                + shop.project
                + ",team=shop,deployment.environment=prod");
  }

  @Test
  void kubernetesServersGetTheNodeIpEndpoint() {
    tenancy.inOrg(
        shop.owner.orgId(),
        null,
        h ->
            h.createUpdate("UPDATE servers SET runtime = 'kubernetes' WHERE id = :id")
                .bind("id", shop.server)
                .execute());
    UUID deployment = shop.deploy(Map.of());
    Map<String, String> env =
        ((DeployCommand) shop.commands(box, deployment).getFirst().command()).spec().env();
    assertThat(env).containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", "http://$(SYNTRA_NODE_IP):4318");
  }

  @Test
  void theServiceSwitchTurnsInjectionOff() {
    JsonNode view = DeployFixture.ok(shop.client.put(path, Map.of("otel_inject", false)));
    assertThat(view.get("otel_injected").booleanValue()).isFalse();
    UUID deployment = shop.deploy(Map.of());
    Map<String, String> env =
        ((DeployCommand) shop.commands(box, deployment).getFirst().command()).spec().env();
    assertThat(env).isEmpty();
    // The sampler settings still reach the agent.
    assertThat(telemetryCommands()).hasSize(2);
  }

  private static List<String> paths(Api.Response response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(400);
    assertThat(response.json().get("code").stringValue()).isEqualTo("invalid_request");
    List<String> paths = new ArrayList<>();
    response.json().get("errors").forEach(e -> paths.add(e.get("path").stringValue()));
    return paths;
  }
}
