package dev.syntra.protocol.message;

import dev.syntra.protocol.internal.Checks;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The server accepted an {@link AgentHello}; the session is open.
 *
 * @param agentId the agent's id (assigned now when it registered)
 * @param serverId the id of the server record this agent runs on
 * @param serverTime the control plane's clock, so the agent can warn about skew
 * @param settings session parameters
 * @param credential a new long-lived agent credential, sent once on registration; null otherwise
 * @param clientCertificatePem an mTLS client certificate issued from the hello's CSR, or null
 */
public record HelloOk(
    String agentId,
    String serverId,
    Instant serverTime,
    SessionSettings settings,
    @Nullable String credential,
    @Nullable String clientCertificatePem)
    implements ServerMessage {

  public HelloOk {
    Checks.identifier(agentId, "agent_id");
    Checks.identifier(serverId, "server_id");
    Checks.notNull(serverTime, "server_time");
    Checks.notNull(settings, "settings");
  }

  @Override
  public MessageType type() {
    return MessageType.HELLO_OK;
  }

  @Override
  public String toString() {
    return "HelloOk[agentId="
        + agentId
        + ", serverId="
        + serverId
        + ", serverTime="
        + serverTime
        + ", settings="
        + settings
        + ", credential="
        + (credential == null ? "none" : "***")
        + ", clientCertificatePem="
        + (clientCertificatePem == null ? "none" : "present")
        + "]";
  }
}
