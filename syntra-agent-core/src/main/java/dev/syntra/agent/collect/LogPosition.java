package dev.syntra.agent.collect;

import java.time.Instant;
import java.util.Objects;

/**
 * How far one output stream of one replica was read: the runtime timestamp of the last line taken
 * and how many lines with exactly that timestamp were taken (several lines can share one).
 */
record LogPosition(Instant at, int countAtInstant) implements Comparable<LogPosition> {
  LogPosition {
    Objects.requireNonNull(at, "at");
    if (countAtInstant < 1) {
      throw new IllegalArgumentException("countAtInstant: must be at least 1");
    }
  }

  @Override
  public int compareTo(LogPosition other) {
    int byTime = at.compareTo(other.at);
    return byTime != 0 ? byTime : Integer.compare(countAtInstant, other.countAtInstant);
  }

  /** The key of a replica's stream in the position file. */
  static String key(String replicaId, dev.syntra.protocol.runtime.LogLine.Stream stream) {
    return replicaId + "|" + stream.name().toLowerCase(java.util.Locale.ROOT);
  }
}
