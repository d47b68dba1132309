package dev.syntra.agent.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ids of commands whose journal entry was pruned: just the id and when it finished, one line each
 * ({@code <epoch-seconds> <id>}) in an append-only file that is compacted when it grows past 1.5
 * times its bound. They keep execution at-most-once long after the full entries are gone: a
 * redelivered tombstoned id is answered with {@code duplicate}, not executed.
 *
 * <p>Bounded by count and age; the oldest go first and are counted in {@link #expired()}. Not
 * thread-safe: {@link CommandJournal} guards it.
 */
final class CommandTombstones {
  private static final Logger log = LoggerFactory.getLogger(CommandTombstones.class);

  /** File name inside the journal directory. */
  static final String FILE_NAME = "tombstones.log";

  private final Path file;
  private final int max;
  private final Duration maxAge;

  /** Id → finish time in epoch seconds, oldest first. */
  private final LinkedHashMap<String, Long> ids = new LinkedHashMap<>();

  private long fileLines;
  private long expired;
  private long unreadable;

  private CommandTombstones(Path file, int max, Duration maxAge) {
    this.file = file;
    this.max = max;
    this.maxAge = maxAge;
  }

  static CommandTombstones open(Path dir, int max, Duration maxAge, Instant now)
      throws IOException {
    if (max < 1) {
      throw new IllegalArgumentException("maxTombstones: must be at least 1");
    }
    CommandTombstones tombstones = new CommandTombstones(dir.resolve(FILE_NAME), max, maxAge);
    tombstones.load();
    tombstones.expire(now);
    if (tombstones.fileLines > tombstones.ids.size()) {
      tombstones.compact();
    }
    return tombstones;
  }

  boolean contains(String id) {
    return ids.containsKey(id);
  }

  int size() {
    return ids.size();
  }

  /** Tombstones dropped by the count or age bound since opening. */
  long expired() {
    return expired;
  }

  /** Durably records the ids (with their finish times); durable when this returns. */
  void add(Map<String, Instant> finished, Instant now) throws IOException {
    if (finished.isEmpty()) {
      return;
    }
    StringBuilder lines = new StringBuilder();
    for (Map.Entry<String, Instant> e : finished.entrySet()) {
      long seconds = e.getValue().getEpochSecond();
      lines.append(seconds).append(' ').append(e.getKey()).append('\n');
      ids.remove(e.getKey());
      ids.put(e.getKey(), seconds);
    }
    try (FileChannel channel = AtomicFiles.openPrivateAppend(file)) {
      ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(false);
    }
    fileLines += finished.size();
    expire(now);
    if (fileLines > max + max / 2L) {
      compact();
    }
  }

  private void expire(Instant now) {
    long oldest = now.minus(maxAge).getEpochSecond();
    Iterator<Map.Entry<String, Long>> it = ids.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Long> e = it.next();
      if (ids.size() <= max && e.getValue() >= oldest) {
        break;
      }
      it.remove();
      expired++;
    }
  }

  private void compact() throws IOException {
    StringBuilder lines = new StringBuilder();
    ids.forEach((id, seconds) -> lines.append(seconds).append(' ').append(id).append('\n'));
    AtomicFiles.write(file, lines.toString().getBytes(StandardCharsets.UTF_8));
    fileLines = ids.size();
  }

  private void load() throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return;
    }
    for (String line : lines) {
      fileLines++;
      int space = line.indexOf(' ');
      String id = space < 0 ? "" : line.substring(space + 1);
      if (id.isEmpty() || id.indexOf(' ') >= 0) {
        unreadable++;
        continue;
      }
      try {
        long seconds = Long.parseLong(line.substring(0, space));
        ids.remove(id);
        ids.put(id, seconds);
      } catch (NumberFormatException e) {
        unreadable++;
      }
    }
    if (unreadable > 0) {
      // A torn last line after a crash; the compaction at open drops it.
      log.warn("Skipped {} unreadable lines in {}", unreadable, file);
    }
  }
}
