package dev.syntra.server.command;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A command sent to a service's agent, and how it ended.
 *
 * @param type deploy, rollback, restart, scale or stop
 * @param status queued (waiting for the agent), sent, succeeded, failed or cancelled
 * @param deploymentId the deployment a deploy or rollback command belongs to
 * @param errorCode the agent's error code when it failed (e.g. {@code service_not_found})
 */
public record CommandView(
    UUID id,
    String type,
    String status,
    @Nullable UUID deploymentId,
    @Nullable String errorCode,
    @Nullable String errorMessage,
    Instant createdAt,
    @Nullable Instant sentAt,
    @Nullable Instant finishedAt) {}
