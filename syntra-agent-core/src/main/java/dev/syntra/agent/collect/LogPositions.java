package dev.syntra.agent.collect;

import dev.syntra.agent.state.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The committed read positions of container logs ({@value #FILE_NAME} in the state directory): per
 * replica and stream the last line handed to the pipeline. Written atomically ({@link AtomicFiles})
 * by {@link #saveIfDirty()}; positions older than {@link #RETENTION} (replicas long gone) are
 * dropped on save, and at most {@link #MAX_ENTRIES} are kept. A corrupt file is moved aside ({@code
 * .corrupt}) with a warning and reading starts over. Thread-safe.
 */
final class LogPositions {
  static final String FILE_NAME = "log-positions.json";
  static final Duration RETENTION = Duration.ofDays(7);
  static final int MAX_ENTRIES = 20_000;

  private static final Logger log = LoggerFactory.getLogger(LogPositions.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Path file;
  private final Map<String, LogPosition> positions = new HashMap<>();
  private boolean dirty;

  private LogPositions(Path file) {
    this.file = file;
  }

  static LogPositions open(Path stateDir) {
    LogPositions positions = new LogPositions(stateDir.resolve(FILE_NAME));
    positions.load();
    return positions;
  }

  synchronized Optional<LogPosition> get(String key) {
    return Optional.ofNullable(positions.get(key));
  }

  /** Records that {@code key} was taken up to {@code position}; never moves backwards. */
  synchronized void commit(String key, LogPosition position) {
    LogPosition current = positions.get(key);
    if (current == null || position.compareTo(current) > 0) {
      if (current == null && positions.size() >= MAX_ENTRIES) {
        return; // a bounded file; such a replica is re-read after a restart
      }
      positions.put(key, position);
      dirty = true;
    }
  }

  /** Writes the file if a position changed since the last save. */
  void saveIfDirty(Instant now) throws IOException {
    byte[] bytes;
    synchronized (this) {
      if (!dirty) {
        return;
      }
      Instant oldest = now.minus(RETENTION);
      positions.values().removeIf(p -> p.at().isBefore(oldest));
      ObjectNode root = JSON.createObjectNode();
      root.put("version", 1);
      ObjectNode entries = root.putObject("positions");
      positions.forEach((key, p) ->
          entries.putObject(key).put("at", p.at().toString()).put("n", p.countAtInstant()));
      bytes = JSON.writeValueAsBytes(root);
      dirty = false;
    }
    try {
      AtomicFiles.write(file, bytes);
    } catch (IOException e) {
      synchronized (this) {
        dirty = true;
      }
      throw e;
    }
  }

  private void load() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      log.warn("Cannot read {} ({}); container logs are read from the start", file, e.toString());
      return;
    }
    try {
      JsonNode root = JSON.readTree(bytes);
      for (Map.Entry<String, JsonNode> entry : root.path("positions").properties()) {
        JsonNode p = entry.getValue();
        positions.put(
            entry.getKey(),
            new LogPosition(Instant.parse(p.path("at").asString()), p.path("n").asInt()));
      }
    } catch (JacksonException | DateTimeParseException | IllegalArgumentException e) {
      positions.clear();
      Path aside = file.resolveSibling(FILE_NAME + ".corrupt");
      log.warn(
          "{} is corrupt ({}); moved to {}, container logs are read from the start",
          file,
          e.getMessage(),
          aside);
      try {
        Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException moveFailed) {
        log.warn("Cannot move {} aside: {}", file, moveFailed.toString());
      }
    }
  }

  synchronized int size() {
    return positions.size();
  }
}
