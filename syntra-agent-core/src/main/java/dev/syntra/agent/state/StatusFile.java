package dev.syntra.agent.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Reads and writes {@code status.json} in the state directory. Thread-safe. */
public final class StatusFile {
  /** File name inside the state directory. */
  public static final String FILE_NAME = "status.json";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Path file;

  public StatusFile(Path stateDir) {
    this.file = stateDir.resolve(FILE_NAME);
  }

  /** Replaces the file with {@code status}. */
  public synchronized void write(AgentStatus status) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("connected", status.connected());
    root.put("since", status.since().toString());
    if (status.lastError() != null) {
      root.put("last_error", status.lastError());
    }
    root.put("runtime", status.runtime());
    root.put("version", status.version());
    root.put("pid", status.pid());
    root.put("outbox_size", status.outboxSize());
    root.put("outbox_dropped", status.outboxDropped());
    root.put("journal_size", status.journalSize());
    root.put("journal_dropped", status.journalDropped());
    root.put("log_lines_dropped", status.logLinesDropped());
    root.put("replay_refused", status.replayRefused());
    root.put("updated_at", status.updatedAt().toString());
    ObjectNode telemetry = root.putObject("telemetry");
    new java.util.TreeMap<>(status.telemetry()).forEach(telemetry::put);
    AtomicFiles.write(file, JSON.writeValueAsBytes(root));
  }

  /** The last written status, or empty if the agent never ran with this state directory. */
  public synchronized Optional<AgentStatus> read() {
    try {
      JsonNode root = JSON.readTree(Files.readAllBytes(file));
      return Optional.of(
          new AgentStatus(
              root.path("connected").asBoolean(),
              Instant.parse(root.path("since").asString()),
              optional(root, "last_error"),
              root.path("runtime").asString(),
              root.path("version").asString(),
              root.path("pid").asLong(),
              root.path("outbox_size").asInt(),
              root.path("outbox_dropped").asLong(),
              root.path("journal_size").asInt(),
              root.path("journal_dropped").asLong(),
              root.path("log_lines_dropped").asLong(),
              root.path("replay_refused").asLong(),
              Instant.parse(root.path("updated_at").asString()),
              counters(root.path("telemetry"))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StateException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (JacksonException | java.time.DateTimeException e) {
      throw new StateException(file + " is corrupt: " + e.getMessage(), e);
    }
  }

  private static java.util.Map<String, Long> counters(JsonNode node) {
    java.util.Map<String, Long> counters = new java.util.LinkedHashMap<>();
    node.properties().forEach(p -> counters.put(p.getKey(), p.getValue().asLong()));
    return counters;
  }

  private static @Nullable String optional(JsonNode root, String field) {
    JsonNode node = root.get(field);
    return node == null || node.isNull() ? null : node.asString();
  }
}
