package dev.syntra.server.deploy;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One status or phase change of a deployment.
 *
 * @param seq position among the deployment's events (increasing; the SSE event id)
 * @param status the deployment's status after this event
 * @param phase the phase the agent reported, or null for changes of the control plane (queued,
 *     cancelled, a failure reported without a phase)
 * @param message what happened, for people
 * @param errorCode the agent's error code of a failure, else null
 * @param at when the control plane recorded it
 */
public record DeploymentEventView(
    long seq,
    UUID deploymentId,
    String status,
    @Nullable String phase,
    String message,
    @Nullable String errorCode,
    Instant at) {}
