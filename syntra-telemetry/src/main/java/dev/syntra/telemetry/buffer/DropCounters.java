package dev.syntra.telemetry.buffer;

import dev.syntra.protocol.frame.SignalCounts;
import dev.syntra.telemetry.Signal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Items the buffer dropped or refused, by signal and reason, since it started. Thread-safe; reads
 * are cheap and meant for metrics export.
 */
public final class DropCounters {
  private final LongAdder[][] items =
      new LongAdder[Signal.values().length][DropReason.values().length];

  DropCounters() {
    for (LongAdder[] row : items) {
      for (int i = 0; i < row.length; i++) {
        row[i] = new LongAdder();
      }
    }
  }

  /** One counter value. */
  public record Count(Signal signal, DropReason reason, long items) {}

  /** Items of {@code signal} dropped for {@code reason}. */
  public long items(Signal signal, DropReason reason) {
    return items[signal.ordinal()][reason.ordinal()].sum();
  }

  /** Items of every signal dropped for {@code reason}. */
  public long items(DropReason reason) {
    long sum = 0;
    for (Signal signal : Signal.values()) {
      sum += items(signal, reason);
    }
    return sum;
  }

  /** Every item dropped or refused, for any reason. */
  public long total() {
    long sum = 0;
    for (DropReason reason : DropReason.values()) {
      sum += items(reason);
    }
    return sum;
  }

  /** The non-zero counters, by signal then reason. */
  public List<Count> snapshot() {
    List<Count> out = new ArrayList<>();
    for (Signal signal : Signal.values()) {
      for (DropReason reason : DropReason.values()) {
        long value = items(signal, reason);
        if (value > 0) {
          out.add(new Count(signal, reason, value));
        }
      }
    }
    return out;
  }

  /** Adds {@code counts} under {@code reason}; returns the number of items added. */
  long record(SignalCounts counts, DropReason reason) {
    int r = reason.ordinal();
    items[Signal.TRACES.ordinal()][r].add(counts.spans());
    items[Signal.LOGS.ordinal()][r].add(counts.logRecords());
    items[Signal.METRICS.ordinal()][r].add(counts.metricPoints());
    return counts.total();
  }

  @Override
  public String toString() {
    return "DropCounters" + snapshot();
  }
}
