package dev.syntra.server.telemetry;

import static dev.syntra.server.ServerSettings.duration;
import static dev.syntra.server.ServerSettings.positiveInt;

import java.time.Duration;
import org.springframework.core.env.Environment;

/**
 * How the control plane takes telemetry frames, from {@code SYNTRA_*} environment variables.
 *
 * @param retention {@code SYNTRA_TELEMETRY_BATCH_RETENTION}, default 168h (7 days): received
 *     batches older than this are deleted
 * @param queueFrames {@code SYNTRA_TELEMETRY_INGEST_QUEUE_FRAMES}, default 1024: frames waiting to
 *     be stored, all agents together; beyond it agents get {@code throttle}
 * @param queueBytes {@code SYNTRA_TELEMETRY_INGEST_QUEUE_MB}, default 256: bytes of those frames
 * @param agentFrames {@code SYNTRA_TELEMETRY_INGEST_AGENT_FRAMES}, default 64: frames waiting from
 *     one agent, so one busy agent cannot take the whole queue
 * @param agentBytes {@code SYNTRA_TELEMETRY_INGEST_AGENT_MB}, default 32: bytes of those frames
 * @param threads {@code SYNTRA_TELEMETRY_INGEST_THREADS}, default 2: threads decoding and storing
 *     frames (each holds one database connection while it stores)
 * @param retryAfter {@code SYNTRA_TELEMETRY_THROTTLE_RETRY_AFTER}, default 5s: the pause a {@code
 *     throttle} asks of an agent
 */
public record IngestSettings(
    Duration retention,
    int queueFrames,
    long queueBytes,
    int agentFrames,
    long agentBytes,
    int threads,
    Duration retryAfter) {

  public static IngestSettings from(Environment env) {
    return new IngestSettings(
        duration(env, "SYNTRA_TELEMETRY_BATCH_RETENTION", "168h"),
        positiveInt(env, "SYNTRA_TELEMETRY_INGEST_QUEUE_FRAMES", 1024),
        (long) positiveInt(env, "SYNTRA_TELEMETRY_INGEST_QUEUE_MB", 256) << 20,
        positiveInt(env, "SYNTRA_TELEMETRY_INGEST_AGENT_FRAMES", 64),
        (long) positiveInt(env, "SYNTRA_TELEMETRY_INGEST_AGENT_MB", 32) << 20,
        positiveInt(env, "SYNTRA_TELEMETRY_INGEST_THREADS", 2),
        duration(env, "SYNTRA_TELEMETRY_THROTTLE_RETRY_AFTER", "5s"));
  }
}
