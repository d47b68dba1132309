package dev.syntra.server.fleet;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A server as the API shows it; never a token hash. Facts about the machine are null until its
 * agent registers.
 *
 * @param status pending (waiting for its agent), online, offline or updating
 * @param registrationExpiresAt until when the current registration token works, while pending
 * @param revokedAt when an admin revoked the agent's credential ({@code POST .../revoke}); its
 *     hellos are refused until a new registration token enrols an agent again
 * @param deletionRequestedAt when the server's deletion was asked for while its agent still had
 *     services to stop: the server goes once the agent has run those stops
 */
public record ServerView(
    UUID id,
    String name,
    String status,
    @Nullable String hostname,
    @Nullable String ipAddress,
    @Nullable String runtime,
    @Nullable String agentId,
    @Nullable String agentVersion,
    @Nullable String os,
    @Nullable String arch,
    @Nullable Integer cpuCores,
    @Nullable Long memoryBytes,
    @Nullable Long diskBytes,
    @Nullable Instant lastHeartbeatAt,
    @Nullable Instant registeredAt,
    @Nullable Instant registrationExpiresAt,
    @Nullable Instant revokedAt,
    @Nullable Instant deletionRequestedAt,
    Instant createdAt) {

  /** The webhook payload of server events. */
  Map<String, Object> event() {
    return Map.of("server_id", id.toString(), "name", name);
  }
}
