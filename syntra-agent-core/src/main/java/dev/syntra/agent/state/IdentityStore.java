package dev.syntra.agent.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes {@code identity.json} (mode 0600) in the state directory. Written once at
 * registration, before the agent does anything else, so the one-time credential is never lost.
 * Thread-safe.
 */
public final class IdentityStore {
  /** File name inside the state directory. */
  public static final String FILE_NAME = "identity.json";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Path file;

  public IdentityStore(Path stateDir) {
    this.file = stateDir.resolve(FILE_NAME);
  }

  public Path file() {
    return file;
  }

  /** The stored identity, or empty before registration. */
  public synchronized Optional<AgentIdentity> load() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StateException("cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      JsonNode root = JSON.readTree(bytes);
      return Optional.of(
          new AgentIdentity(
              text(root, "agent_id"),
              text(root, "server_id"),
              text(root, "credential"),
              Instant.parse(text(root, "registered_at"))));
    } catch (JacksonException | IllegalArgumentException | java.time.DateTimeException e) {
      throw new StateException(
          file
              + " is corrupt ("
              + e.getMessage()
              + "). Restore it from a backup, or delete the state directory and register the"
              + " agent again with a new registration token.",
          e);
    }
  }

  /** Stores {@code identity} atomically and durably. */
  public synchronized void save(AgentIdentity identity) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("agent_id", identity.agentId());
    root.put("server_id", identity.serverId());
    root.put("credential", identity.credential());
    root.put("registered_at", identity.registeredAt().toString());
    AtomicFiles.write(file, JSON.writeValueAsBytes(root));
  }

  private static String text(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || !node.isString() || node.stringValue().isBlank()) {
      throw new IllegalArgumentException("field '" + field + "' is missing");
    }
    return node.stringValue();
  }
}
