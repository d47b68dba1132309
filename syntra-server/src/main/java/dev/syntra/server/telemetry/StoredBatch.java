package dev.syntra.server.telemetry;

import dev.syntra.protocol.frame.TelemetryFrame;
import java.time.Instant;
import java.util.UUID;

/**
 * One received telemetry batch, decoded.
 *
 * @param cursor the batch's position in arrival order; pass the last one seen to {@link
 *     TelemetryBatches#list} to read on
 * @param orgId the organization of the agent that sent it
 * @param serverId the server whose agent sent it
 * @param receivedAt when the hub stored it
 * @param frame the decoded frame (batch id, traces, logs, metrics)
 */
public record StoredBatch(
    long cursor, UUID orgId, UUID serverId, Instant receivedAt, TelemetryFrame frame) {}
