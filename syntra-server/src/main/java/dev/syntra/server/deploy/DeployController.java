package dev.syntra.server.deploy;

import dev.syntra.server.api.Page;
import dev.syntra.server.auth.Caller;
import dev.syntra.server.auth.Permission;
import dev.syntra.server.command.CommandView;
import java.net.URI;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Deploy, roll back, restart, scale and stop a service (spec §14.2). Each queues a command for the
 * agent of the service's server and answers 202 at once; a deployment's progress shows in {@code
 * GET /deployments/{id}} and its event stream, a command's outcome in the service's command list.
 */
@RestController
class DeployController {
  private final DeploymentLauncher deployer;
  private final ServiceCommands commands;

  DeployController(DeploymentLauncher deployer, ServiceCommands commands) {
    this.deployer = deployer;
    this.commands = commands;
  }

  @PostMapping("/api/v1/services/{id}/deploy")
  ResponseEntity<DeploymentView> deploy(
      Caller caller,
      @PathVariable UUID id,
      @RequestBody(required = false) @Nullable JsonNode json) {
    return accepted(deployer.deploy(caller, Permission.DEPLOY, id, json));
  }

  @PostMapping("/api/v1/services/{id}/rollback")
  ResponseEntity<DeploymentView> rollback(
      Caller caller,
      @PathVariable UUID id,
      @RequestBody(required = false) @Nullable JsonNode json) {
    return accepted(deployer.rollback(caller, Permission.DEPLOY, id, json));
  }

  @PostMapping("/api/v1/services/{id}/restart")
  ResponseEntity<CommandView> restart(
      Caller caller,
      @PathVariable UUID id,
      @RequestBody(required = false) @Nullable JsonNode json) {
    return ResponseEntity.accepted().body(commands.restart(caller, Permission.DEPLOY, id, json));
  }

  @PostMapping("/api/v1/services/{id}/scale")
  ResponseEntity<CommandView> scale(
      Caller caller,
      @PathVariable UUID id,
      @RequestBody(required = false) @Nullable JsonNode json) {
    return ResponseEntity.accepted().body(commands.scale(caller, Permission.DEPLOY, id, json));
  }

  @PostMapping("/api/v1/services/{id}/stop")
  ResponseEntity<CommandView> stop(
      Caller caller,
      @PathVariable UUID id,
      @RequestBody(required = false) @Nullable JsonNode json) {
    return ResponseEntity.accepted().body(commands.stop(caller, Permission.DEPLOY, id, json));
  }

  /** The commands sent to the service's agent, newest first, with their outcome. */
  @GetMapping("/api/v1/services/{id}/commands")
  Page<CommandView> listCommands(
      Caller caller,
      @PathVariable UUID id,
      @RequestParam(required = false) @Nullable Integer limit,
      @RequestParam(required = false) @Nullable String cursor) {
    caller.require(Permission.READ);
    return commands.list(caller, id, Page.Request.of(limit, cursor));
  }

  private static ResponseEntity<DeploymentView> accepted(DeploymentView deployment) {
    return ResponseEntity.accepted()
        .location(URI.create("/api/v1/deployments/" + deployment.id()))
        .body(deployment);
  }
}
