package dev.syntra.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.message.CommandResult;
import dev.syntra.protocol.message.DeployStatus;
import dev.syntra.protocol.message.RollbackCommand;
import dev.syntra.protocol.runtime.DeployPhase;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.server.Api;
import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.crypto.SecretBox;
import dev.syntra.server.fleet.AgentRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The deployment state machine, driven through the report listener exactly as the hub calls it:
 * inside a transaction in the agent's organization.
 */
class DeployStatusMachineTest extends ServerTestSupport {
  private static final ServiceRef WEB = new ServiceRef("k3x9a2", "shop", "web");

  @Autowired private DeployReports reports;
  @Autowired private SecretBox box;

  private DeployFixture shop;
  private AgentRef agent;

  @BeforeEach
  void setUp() {
    shop = new DeployFixture(api, tenants, tenancy);
    shop.subscribeWebhook();
    agent = new AgentRef(shop.owner.orgId(), shop.server);
  }

  @Test
  void phasesMoveForwardOnlyAndDuplicatesAreIgnored() {
    UUID id = shop.deploy(Map.of());
    report(id, DeployPhase.PULLING, "pulling", null);
    JsonNode deploying = view(id);
    assertThat(deploying.get("status").stringValue()).isEqualTo("deploying");
    assertThat(deploying.get("phase").stringValue()).isEqualTo("pulling");
    assertThat(deploying.get("started_at").isNull()).isFalse();
    assertThat(shop.deliveries("deployment.started")).isEqualTo(1);

    report(id, DeployPhase.PULLING, "pulling again", null); // resent after a reconnect
    report(id, DeployPhase.HEALTH_CHECKING, "replica 1/2 healthy", null);
    report(id, DeployPhase.CREATING, "late", null); // older than what we have
    assertThat(view(id).get("phase").stringValue()).isEqualTo("health_checking");

    report(id, DeployPhase.RUNNING, "serving", null);
    report(id, DeployPhase.FAILED, "too late", "internal");
    result(id, CommandResult.ok());
    JsonNode done = view(id);
    assertThat(done.get("status").stringValue()).isEqualTo("running");
    assertThat(done.get("finished_at").isNull()).isFalse();
    assertThat(done.get("deploy_duration_ms").isNumber()).isTrue();
    assertThat(done.get("total_duration_ms").isNumber()).isTrue();
    assertThat(done.get("error_code").isNull()).isTrue();
    assertThat(done.get("current").booleanValue()).isTrue();
    assertThat(done.get("events").findValuesAsString("status"))
        .containsExactly("queued", "deploying", "deploying", "running");
    assertThat(done.get("events").get(3).get("phase").stringValue()).isEqualTo("running");
    assertThat(shop.deliveries("deployment.started")).isEqualTo(1);
    assertThat(shop.deliveries("deployment.completed")).isEqualTo(1);
    assertThat(shop.deliveries("deployment.failed")).isZero();
  }

  @Test
  void aFailedResultWithoutPhasesFailsTheDeployment() {
    UUID id = shop.deploy(Map.of());
    result(
        id,
        CommandResult.failed("image_not_found", "127.0.0.1:5000/syntra-test/httpd:1 not found"));
    JsonNode failed = view(id);
    assertThat(failed.get("status").stringValue()).isEqualTo("failed");
    assertThat(failed.get("error_code").stringValue()).isEqualTo("image_not_found");
    assertThat(failed.get("error_message").stringValue()).contains("not found");
    assertThat(failed.get("finished_at").isNull()).isFalse();
    assertThat(shop.deliveries("deployment.failed")).isEqualTo(1);
    assertThat(shop.deliveries("deployment.started")).isZero();
    report(id, DeployPhase.PULLING, "stale", null);
    assertThat(view(id).get("status").stringValue()).isEqualTo("failed");
  }

  @Test
  void aRolledBackDeployIsAFailureWithTheAgentsCode() {
    UUID id = shop.deploy(Map.of());
    report(id, DeployPhase.STARTING, "starting", null);
    report(id, DeployPhase.ROLLED_BACK, "never became healthy", "health_check_failed");
    result(id, CommandResult.failed("health_check_failed", "never became healthy"));
    JsonNode view = view(id);
    assertThat(view.get("status").stringValue()).isEqualTo("rolled_back");
    assertThat(view.get("phase").stringValue()).isEqualTo("rolled_back");
    assertThat(view.get("error_code").stringValue()).isEqualTo("health_check_failed");
    assertThat(view.get("events")).hasSize(3);
    assertThat(shop.deliveries("deployment.failed")).isEqualTo(1);
  }

  @Test
  void reportsNamingAnotherDeploymentOrServerAreIgnored() {
    UUID id = shop.deploy(Map.of());
    UUID other = shop.deploy(Map.of());
    UUID command = shop.commands(box, id).getFirst().id();
    tenancy.inOrg(
        agent.orgId(),
        null,
        h -> {
          reports.onDeployStatus(
              h,
              agent,
              command,
              Instant.now(),
              new DeployStatus(other.toString(), WEB, DeployPhase.RUNNING, "wrong", null));
          reports.onDeployStatus(
              h,
              new AgentRef(agent.orgId(), UUID.randomUUID()),
              command,
              Instant.now(),
              new DeployStatus(id.toString(), WEB, DeployPhase.RUNNING, "wrong server", null));
          return null;
        });
    assertThat(view(id).get("status").stringValue()).isEqualTo("queued");
    assertThat(view(other).get("status").stringValue()).isEqualTo("queued");
  }

  @Test
  void rollbackTargetsThePreviousRunningDeploymentByDefault() {
    String rollback = "/api/v1/services/" + shop.service + "/rollback";
    assertThat(shop.client.post(rollback, Map.of()).status()).isEqualTo(409);
    UUID first = shop.deploy(Map.of("tag", "1"));
    report(first, DeployPhase.RUNNING, "serving", null);
    UUID failed = shop.deploy(Map.of("tag", "bad"));
    result(failed, CommandResult.failed("image_not_found", "no such tag"));
    assertThat(shop.client.post(rollback, Map.of()).json().get("detail").stringValue())
        .contains("before the current one");
    UUID second = shop.deploy(Map.of("tag", "2"));
    report(second, DeployPhase.RUNNING, "serving", null);
    JsonNode list =
        shop.client.get("/api/v1/services/" + shop.service + "/deployments").json().get("data");
    List<String> current = new java.util.ArrayList<>();
    list.forEach(d -> {
      if (d.get("current").booleanValue()) {
        current.add(d.get("id").stringValue());
      }
    });
    assertThat(current).containsExactly(second.toString());
    assertThat(view(first).get("current").booleanValue()).isFalse();
    // Only the current deployment says running; the one it replaced is superseded.
    assertThat(view(first).get("status").stringValue()).isEqualTo("superseded");
    assertThat(view(second).get("status").stringValue()).isEqualTo("running");
    assertThat(view(failed).get("status").stringValue()).isEqualTo("failed");

    Api.Response response = shop.client.post(rollback, null);
    assertThat(response.status()).as(response.toString()).isEqualTo(202);
    UUID id = UUID.fromString(response.json().get("id").stringValue());
    assertThat(response.json().get("trigger_type").stringValue()).isEqualTo("rollback");
    assertThat(response.json().get("rollback_of").stringValue()).isEqualTo(first.toString());
    assertThat(response.json().get("image").stringValue()).endsWith("httpd:1");
    RollbackCommand command = (RollbackCommand) shop.commands(box, id).getFirst().command();
    assertThat(command)
        .isEqualTo(
            new RollbackCommand(
                RuntimeNames.serviceRef(shop.owner.orgId(), "shop", "web"),
                id.toString(),
                first.toString()));

    Api.Response toFailed = shop.client.post(rollback, Map.of("deployment_id", failed.toString()));
    assertThat(toFailed.status()).isEqualTo(400);
    assertThat(toFailed.json().get("errors").get(0).get("path").stringValue())
        .isEqualTo("$.deployment_id");
    assertThat(shop.client.post(rollback, Map.of("deployment_id", second.toString())).status())
        .isEqualTo(409);
    assertThat(
            shop.client
                .post(rollback, Map.of("deployment_id", UUID.randomUUID().toString()))
                .status())
        .isEqualTo(400);
    // A superseded deployment can be restored; once the rollback runs, it supersedes the second.
    assertThat(shop.client.post(rollback, Map.of("deployment_id", first.toString())).status())
        .isEqualTo(202);
    report(id, DeployPhase.RUNNING, "restored", null);
    assertThat(view(id).get("status").stringValue()).isEqualTo("running");
    assertThat(view(id).get("current").booleanValue()).isTrue();
    assertThat(view(second).get("status").stringValue()).isEqualTo("superseded");
    assertThat(view(second).get("current").booleanValue()).isFalse();
    assertThat(
            view(second)
                .get("events")
                .get(view(second).get("events").size() - 1)
                .get("message")
                .stringValue())
        .isEqualTo("superseded by " + id);
  }

  private void report(UUID deployment, DeployPhase phase, String message, @Nullable String code) {
    UUID command = shop.commands(box, deployment).getFirst().id();
    tenancy.inOrg(
        agent.orgId(),
        null,
        h -> {
          reports.onDeployStatus(
              h,
              agent,
              command,
              Instant.now(),
              new DeployStatus(deployment.toString(), WEB, phase, message, code));
          return null;
        });
  }

  private void result(UUID deployment, CommandResult result) {
    DeployFixture.StoredCommand command = shop.commands(box, deployment).getFirst();
    tenancy.inOrg(
        agent.orgId(),
        null,
        h -> {
          reports.onCommandResult(h, agent, command.id(), command.type(), deployment, result);
          return null;
        });
  }

  private JsonNode view(UUID deployment) {
    return DeployFixture.ok(shop.client.get("/api/v1/deployments/" + deployment));
  }
}
