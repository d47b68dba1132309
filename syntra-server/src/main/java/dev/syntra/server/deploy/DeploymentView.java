package dev.syntra.server.deploy;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A deployment as the API shows it.
 *
 * @param status queued, building, pushing, deploying, running, failed, rolled_back or cancelled
 * @param triggerType manual, git_push, workflow, rollback or api
 * @param deployDurationMs time the rollout itself took, as recorded by the deployer
 * @param totalDurationMs from queued to finished; null until finished
 * @param errorMessage why it failed; null otherwise
 */
public record DeploymentView(
    UUID id,
    UUID serviceId,
    String status,
    @Nullable String image,
    @Nullable String imageDigest,
    @Nullable String strategy,
    String triggerType,
    @Nullable UUID triggeredBy,
    @Nullable String errorMessage,
    Instant queuedAt,
    @Nullable Instant startedAt,
    @Nullable Instant finishedAt,
    @Nullable Long deployDurationMs,
    @Nullable Long totalDurationMs,
    Instant createdAt) {}
