package dev.syntra.server.deploy;

import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.server.api.ApiException;
import dev.syntra.server.fleet.Fleet;
import dev.syntra.server.service.ServiceView;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * Where a command for a service goes: the service, its runtime reference ({@code project slug /
 * service name}), the server whose agent runs it and that agent's runtime ({@code docker}, {@code
 * kubernetes}; null before its first hello reported one).
 */
record DeployTarget(ServiceView service, ServiceRef ref, UUID serverId, @Nullable String runtime) {

  /**
   * The target of {@code service}, known on the runtime as {@code ref}.
   *
   * @throws ApiException 409 {@code no_server} when the service has no server assigned, 409 {@code
   *     no_agent} when the server's agent has not registered or was revoked
   */
  static DeployTarget of(Handle h, Fleet fleet, UUID orgId, ServiceView service, ServiceRef ref) {
    UUID serverId = service.serverId();
    if (serverId == null) {
      throw new ApiException(
          HttpStatus.CONFLICT,
          "no_server",
          "service '"
              + service.name()
              + "' has no server to run on: assign one with PATCH /api/v1/services/"
              + service.id()
              + " {\"server_id\": \"…\"}");
    }
    Fleet.ServerAgent agent =
        fleet
            .agent(h, orgId, serverId)
            .orElseThrow(() -> noAgent("the service's server no longer exists"));
    if (agent.agentId() == null || agent.registeredAt() == null) {
      throw noAgent(
          "server '"
              + agent.serverName()
              + "' has no registered agent yet: install the agent with the command"
              + " shown when the server was created");
    }
    if (agent.revoked()) {
      throw noAgent(
          "the agent of server '"
              + agent.serverName()
              + "' was revoked: register a new agent first");
    }
    return new DeployTarget(service, ref, serverId, agent.runtime());
  }

  private static ApiException noAgent(String message) {
    return new ApiException(HttpStatus.CONFLICT, "no_agent", message);
  }
}
