package dev.syntra.agent.state;

import java.time.Instant;
import java.util.Objects;

/**
 * Who the agent is to the control plane, received in the {@code hello_ok} of its registration.
 *
 * @param agentId the id the control plane assigned
 * @param serverId the server record the agent runs on
 * @param credential the long-lived agent credential ({@code syn_tkn_…}); a secret, never logged
 * @param registeredAt when the agent registered
 */
public record AgentIdentity(
    String agentId, String serverId, String credential, Instant registeredAt) {
  public AgentIdentity {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(serverId, "serverId");
    Objects.requireNonNull(credential, "credential");
    Objects.requireNonNull(registeredAt, "registeredAt");
  }

  /** The same identity on another server record. */
  public AgentIdentity withServerId(String newServerId) {
    return new AgentIdentity(agentId, newServerId, credential, registeredAt);
  }

  @Override
  public String toString() {
    return "AgentIdentity[agentId="
        + agentId
        + ", serverId="
        + serverId
        + ", credential=***, registeredAt="
        + registeredAt
        + "]";
  }
}
