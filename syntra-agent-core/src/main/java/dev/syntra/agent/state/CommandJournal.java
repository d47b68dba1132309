package dev.syntra.agent.state;

import dev.syntra.protocol.message.Command;
import dev.syntra.protocol.message.MessageType;
import dev.syntra.protocol.runtime.ServiceRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The durable command journal that makes command execution at-most-once per envelope id (PROTOCOL
 * §2.4). Each command is one file {@code journal/cmd-<id>.json}: written as "received" before the
 * command runs, rewritten as "finished" with its final messages (the terminal {@code
 * deploy_status}, if any, and the {@code command_result}) when it ends.
 *
 * <p>Bounded: finished entries older than {@code maxAge}, and beyond the newest {@code
 * maxFinished}, are deleted (oldest first) and counted in {@link #dropped()}. Unfinished entries
 * are never dropped: the agent reconciles them at start. Only metadata is kept in memory; final
 * messages are read from disk on demand.
 *
 * <p>The output of an {@code exec} (its {@code command_result}, which may print env values or other
 * secrets) is kept only {@link #EXEC_OUTPUT_RETENTION}, long enough to answer a redelivery after a
 * lost connection; then the entry keeps its metadata but no messages ({@link #purgeExpiredOutput}),
 * and a later redelivery is answered without the output. Deploy commands are never stored (the
 * entry holds ids and the service, no env), and their final messages carry no env values.
 *
 * <p>A pruned entry leaves a tombstone (its id and finish time, see {@link #tombstoned}), kept far
 * longer ({@link #DEFAULT_MAX_TOMBSTONES} ids, {@link #DEFAULT_TOMBSTONE_MAX_AGE}), so that a
 * command redelivered after its entry was pruned is still recognised and not executed again.
 * Thread-safe.
 */
public final class CommandJournal {
  private static final Logger log = LoggerFactory.getLogger(CommandJournal.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String PREFIX = "cmd-";
  private static final String SUFFIX = ".json";

  /** Directory name inside the state directory. */
  public static final String DIR_NAME = "journal";

  /** Ids of pruned entries remembered at most. */
  public static final int DEFAULT_MAX_TOMBSTONES = 20_000;

  /** How long the ids of pruned entries are remembered at most. */
  public static final Duration DEFAULT_TOMBSTONE_MAX_AGE = Duration.ofDays(90);

  /** How long the recorded result (with its output) of a finished {@code exec} is kept. */
  public static final Duration EXEC_OUTPUT_RETENTION = Duration.ofMinutes(10);

  private final Path dir;
  private final Clock clock;
  private final int maxFinished;
  private final Duration maxAge;
  private final Map<String, JournalEntry> entries = new LinkedHashMap<>();

  /** Finished {@code exec} entries whose file still holds their output. */
  private final Set<String> execOutput = new LinkedHashSet<>();

  private @Nullable CommandTombstones tombstones;
  private long dropped;
  private long corrupt;

  private CommandJournal(Path dir, Clock clock, int maxFinished, Duration maxAge) {
    this.dir = dir;
    this.clock = clock;
    this.maxFinished = maxFinished;
    this.maxAge = maxAge;
  }

  /**
   * Opens (and creates) the journal under {@code stateDir}, loading every entry.
   *
   * @param maxFinished finished entries kept at most (e.g. 1000)
   * @param maxAge finished entries are kept at most this long (e.g. 7 days)
   */
  public static CommandJournal open(Path stateDir, Clock clock, int maxFinished, Duration maxAge) {
    return open(
        stateDir, clock, maxFinished, maxAge, DEFAULT_MAX_TOMBSTONES, DEFAULT_TOMBSTONE_MAX_AGE);
  }

  /**
   * {@link #open(Path, Clock, int, Duration)} with explicit tombstone bounds.
   *
   * @param maxTombstones ids of pruned entries remembered at most
   * @param tombstoneMaxAge how long ids of pruned entries are remembered at most
   */
  public static CommandJournal open(
      Path stateDir,
      Clock clock,
      int maxFinished,
      Duration maxAge,
      int maxTombstones,
      Duration tombstoneMaxAge) {
    if (maxFinished < 1) {
      throw new IllegalArgumentException("maxFinished: must be at least 1");
    }
    CommandJournal journal =
        new CommandJournal(stateDir.resolve(DIR_NAME), clock, maxFinished, maxAge);
    try {
      AtomicFiles.createPrivateDirectory(journal.dir);
      AtomicFiles.removeLeftovers(journal.dir);
      journal.tombstones =
          CommandTombstones.open(journal.dir, maxTombstones, tombstoneMaxAge, clock.instant());
      journal.load();
      journal.prune();
    } catch (IOException e) {
      throw new StateException(
          "cannot open the command journal in " + journal.dir + ": " + e.getMessage(), e);
    }
    return journal;
  }

  /** The entry of {@code commandId}, if the journal has it. */
  public synchronized Optional<JournalEntry> get(String commandId) {
    return Optional.ofNullable(entries.get(commandId));
  }

  /**
   * Whether {@code commandId} finished so long ago that only its id is remembered (its entry was
   * pruned): it must not be executed again, and its result can no longer be resent.
   */
  public synchronized boolean tombstoned(String commandId) {
    return !entries.containsKey(commandId) && store().contains(commandId);
  }

  /** Ids remembered as tombstones. */
  public synchronized int tombstones() {
    return store().size();
  }

  private CommandTombstones store() {
    CommandTombstones t = tombstones;
    if (t == null) {
      throw new IllegalStateException("the journal is not open");
    }
    return t;
  }

  /** Records that {@code command} was received; durable when this returns. */
  public synchronized JournalEntry recordReceived(String commandId, Command command)
      throws IOException {
    if (entries.containsKey(commandId)) {
      throw new IllegalStateException("command " + commandId + " is already in the journal");
    }
    JournalEntry entry = JournalEntry.received(commandId, command, clock.instant());
    write(entry, List.of(), false);
    entries.put(commandId, entry);
    return entry;
  }

  /**
   * Records that {@code commandId} finished with {@code finalMessages} (encoded envelopes, in the
   * order they are sent); durable when this returns.
   */
  public synchronized void recordFinished(String commandId, List<String> finalMessages)
      throws IOException {
    JournalEntry entry = entries.get(commandId);
    if (entry == null) {
      throw new IllegalStateException("command " + commandId + " is not in the journal");
    }
    JournalEntry finished = entry.finishedAt(clock.instant());
    write(finished, finalMessages, false);
    entries.put(commandId, finished);
    if (finished.type() == MessageType.EXEC && !finalMessages.isEmpty()) {
      execOutput.add(commandId);
    }
    prune();
  }

  /**
   * Removes the recorded output of {@code exec} commands that finished more than {@link
   * #EXEC_OUTPUT_RETENTION} ago; the entries stay (at-most-once still holds). The agent calls this
   * periodically; opening the journal and recording a result call it too.
   */
  public synchronized void purgeExpiredOutput() throws IOException {
    Instant oldest = clock.instant().minus(EXEC_OUTPUT_RETENTION);
    for (var it = execOutput.iterator(); it.hasNext(); ) {
      JournalEntry entry = entries.get(it.next());
      if (entry == null) {
        it.remove();
        continue;
      }
      if (entry.finishedAt() != null && entry.finishedAt().isAfter(oldest)) {
        continue;
      }
      write(entry, List.of(), true);
      it.remove();
    }
  }

  /** Finished {@code exec} entries whose output is still recorded. */
  public synchronized int execOutputsKept() {
    return execOutput.size();
  }

  /**
   * The final messages recorded for a finished command, in sending order; empty when none were
   * recorded or they were purged ({@link #purgeExpiredOutput}).
   */
  public List<String> finalMessages(String commandId) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file(commandId)));
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (JacksonException e) {
      throw new IOException("journal entry of " + commandId + " is corrupt: " + e.getMessage(), e);
    }
    List<String> messages = new ArrayList<>();
    for (JsonNode message : root.path("messages")) {
      messages.add(message.stringValue());
    }
    return messages;
  }

  /** Entries received but not finished, oldest first (commands interrupted by a restart). */
  public synchronized List<JournalEntry> unfinished() {
    return entries.values().stream()
        .filter(e -> !e.finished())
        .sorted(Comparator.comparing(JournalEntry::receivedAt))
        .toList();
  }

  /** Entries in the journal. */
  public synchronized int size() {
    return entries.size();
  }

  /** Finished entries deleted by the size or age bound since the journal was opened. */
  public synchronized long dropped() {
    return dropped;
  }

  /** Files that could not be read at open and were set aside as {@code .corrupt}. */
  public synchronized long corrupt() {
    return corrupt;
  }

  private void prune() throws IOException {
    purgeExpiredOutput();
    Instant oldest = clock.instant().minus(maxAge);
    List<JournalEntry> finished =
        entries.values().stream()
            .filter(JournalEntry::finished)
            .sorted(Comparator.comparing(JournalEntry::finishedAt))
            .toList();
    int excess = finished.size() - maxFinished;
    Map<String, Instant> pruned = new LinkedHashMap<>();
    for (JournalEntry entry : finished) {
      boolean tooOld = entry.finishedAt() != null && entry.finishedAt().isBefore(oldest);
      if (!tooOld && excess <= 0) {
        break;
      }
      pruned.put(
          entry.commandId(), entry.finishedAt() == null ? clock.instant() : entry.finishedAt());
      excess--;
    }
    if (pruned.isEmpty()) {
      return;
    }
    // The tombstones are durable before the entries go, so a crash in between loses no id.
    store().add(pruned, clock.instant());
    for (String id : pruned.keySet()) {
      Files.deleteIfExists(file(id));
      entries.remove(id);
      execOutput.remove(id);
      dropped++;
    }
  }

  private void load() throws IOException {
    List<JournalEntry> loaded = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) {
          continue;
        }
        try {
          JsonNode root = JSON.readTree(Files.readAllBytes(file));
          JournalEntry entry = parse(root);
          loaded.add(entry);
          if (entry.finished()
              && entry.type() == MessageType.EXEC
              && !root.path("messages").isEmpty()) {
            execOutput.add(entry.commandId());
          }
        } catch (JacksonException | IllegalArgumentException | java.time.DateTimeException e) {
          corrupt++;
          Path aside = file.resolveSibling(name + ".corrupt");
          Files.move(file, aside, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          log.warn(
              "Journal file {} is unreadable ({}); moved it to {}", file, e.getMessage(), aside);
        }
      }
    }
    loaded.sort(Comparator.comparing(JournalEntry::receivedAt));
    for (JournalEntry entry : loaded) {
      entries.put(entry.commandId(), entry);
    }
  }

  private void write(JournalEntry entry, List<String> messages, boolean outputPurged)
      throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", entry.commandId());
    root.put("type", entry.type().wireName());
    if (entry.service() != null) {
      root.putObject("service")
          .put("organization", entry.service().organization())
          .put("project", entry.service().project())
          .put("service", entry.service().service());
    }
    if (entry.deploymentId() != null) {
      root.put("deployment_id", entry.deploymentId());
    }
    if (entry.replicas() != null) {
      root.put("replicas", entry.replicas().intValue());
    }
    root.put("state", entry.finished() ? "finished" : "received");
    root.put("received_at", entry.receivedAt().toString());
    if (entry.finishedAt() != null) {
      root.put("finished_at", entry.finishedAt().toString());
    }
    ArrayNode list = root.putArray("messages");
    messages.forEach(list::add);
    if (outputPurged) {
      root.put("output_purged", true);
    }
    AtomicFiles.write(file(entry.commandId()), JSON.writeValueAsBytes(root));
  }

  private static JournalEntry parse(JsonNode root) {
    String id = root.path("id").stringValue();
    if (id == null) {
      throw new IllegalArgumentException("id is missing");
    }
    MessageType type =
        MessageType.fromWireName(root.path("type").asString())
            .orElseThrow(() -> new IllegalArgumentException("unknown type"));
    JsonNode service = root.get("service");
    ServiceRef ref =
        service == null
            ? null
            : new ServiceRef(
                service.path("organization").asString(),
                service.path("project").asString(),
                service.path("service").asString());
    JsonNode replicas = root.get("replicas");
    boolean finished = "finished".equals(root.path("state").asString());
    return new JournalEntry(
        id,
        type,
        ref,
        optional(root, "deployment_id"),
        replicas == null ? null : replicas.asInt(),
        finished,
        Instant.parse(root.path("received_at").asString()),
        finished ? Instant.parse(root.path("finished_at").asString()) : null);
  }

  private static @Nullable String optional(JsonNode root, String field) {
    JsonNode node = root.get(field);
    return node == null || node.isNull() ? null : node.asString();
  }

  private Path file(String commandId) {
    return dir.resolve(PREFIX + commandId + SUFFIX);
  }

  @Override
  public String toString() {
    return "CommandJournal[dir="
        + dir
        + ", maxFinished="
        + maxFinished
        + ", maxAge="
        + maxAge
        + "]";
  }
}
