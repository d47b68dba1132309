package dev.syntra.agent.state;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What {@code syntra-agent status} shows: a snapshot the running agent writes to {@code
 * status.json} on every status tick and connection change.
 *
 * @param connected whether a session with the control plane is open
 * @param since when the connection state last changed
 * @param lastError the last connection or handshake error, or null
 * @param runtime the runtime the agent drives
 * @param version the agent version
 * @param pid the agent's process id
 * @param outboxSize messages waiting for the next session
 * @param outboxDropped messages dropped because the outbox was full
 * @param journalSize commands in the journal
 * @param journalDropped finished journal entries dropped by the size or age bound
 * @param logLinesDropped log lines dropped because the link was slower than the logs
 * @param replayRefused server messages refused as stale or replayed
 * @param updatedAt when this snapshot was written
 * @param telemetry the telemetry pipeline's counters by name (e.g. {@code traces_http_accepted},
 *     {@code traces_dropped_buffer_full}), sorted by name; empty when telemetry is off
 */
public record AgentStatus(
    boolean connected,
    Instant since,
    @Nullable String lastError,
    String runtime,
    String version,
    long pid,
    int outboxSize,
    long outboxDropped,
    int journalSize,
    long journalDropped,
    long logLinesDropped,
    long replayRefused,
    Instant updatedAt,
    Map<String, Long> telemetry) {
  public AgentStatus {
    // sorted, so `syntra-agent status` lists the counters in a stable order
    telemetry = Collections.unmodifiableMap(new TreeMap<>(telemetry));
  }
}
