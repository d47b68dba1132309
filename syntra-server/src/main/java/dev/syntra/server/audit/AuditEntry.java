package dev.syntra.server.audit;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One audit log entry as the API shows it.
 *
 * @param actorUserId who acted; null for the system
 * @param actorTokenId with which token; null for the system and for invitation accepts
 * @param ip the client address; null for the system
 * @param details facts about the change, never secret values
 */
public record AuditEntry(
    UUID id,
    @Nullable UUID actorUserId,
    @Nullable UUID actorTokenId,
    String action,
    String targetType,
    @Nullable String targetId,
    @Nullable String ip,
    JsonNode details,
    Instant createdAt) {}
