package dev.syntra.telemetry.buffer;

import dev.syntra.protocol.frame.BatchId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** The sealed, unacknowledged frames, by sequence. Not thread-safe: the buffer's lock guards it. */
final class FrameStore {
  /**
   * A frame and its bookkeeping.
   *
   * @param cost bytes it counts against the buffer's bound
   * @param firstSegment the spool segment it pins, or -1
   */
  record Entry(SealedFrame frame, long cost, long firstSegment) {}

  private final TreeMap<Long, Entry> all = new TreeMap<>();
  private final TreeMap<Long, Entry> normal = new TreeMap<>();
  private final TreeMap<Long, Entry> priority = new TreeMap<>();
  private final Map<BatchId, Long> sequenceById = new HashMap<>();
  private long costBytes;

  void add(Entry entry) {
    long sequence = entry.frame().sequence();
    all.put(sequence, entry);
    (entry.frame().priority() ? priority : normal).put(sequence, entry);
    sequenceById.put(entry.frame().batchId(), sequence);
    costBytes += entry.cost();
  }

  @Nullable Entry remove(BatchId batchId) {
    Long sequence = sequenceById.remove(batchId);
    if (sequence == null) {
      return null;
    }
    Entry entry = all.remove(sequence);
    if (entry != null) {
      (entry.frame().priority() ? priority : normal).remove(sequence);
      costBytes -= entry.cost();
    }
    return entry;
  }

  /** Removes and returns the oldest frame of the given kind, or null when there is none. */
  @Nullable Entry pollOldest(boolean priorityFrames) {
    Map.Entry<Long, Entry> oldest = (priorityFrames ? priority : normal).pollFirstEntry();
    if (oldest == null) {
      return null;
    }
    all.remove(oldest.getKey());
    sequenceById.remove(oldest.getValue().frame().batchId());
    costBytes -= oldest.getValue().cost();
    return oldest.getValue();
  }

  /** Removes and returns the oldest frame of any kind, or null when there is none. */
  @Nullable Entry pollOldestOfAll() {
    Map.Entry<Long, Entry> oldest = all.pollFirstEntry();
    if (oldest == null) {
      return null;
    }
    (oldest.getValue().frame().priority() ? priority : normal).remove(oldest.getKey());
    sequenceById.remove(oldest.getValue().frame().batchId());
    costBytes -= oldest.getValue().cost();
    return oldest.getValue();
  }

  List<SealedFrame> after(long afterSequence, int maxFrames) {
    List<SealedFrame> out = new ArrayList<>(Math.min(maxFrames, all.size()));
    for (Entry entry : all.tailMap(afterSequence, false).values()) {
      if (out.size() >= maxFrames) {
        break;
      }
      out.add(entry.frame());
    }
    return out;
  }

  /** What the frames count against the buffer's bound, together. */
  long costBytes() {
    return costBytes;
  }

  int size() {
    return all.size();
  }
}
