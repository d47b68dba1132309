package dev.syntra.telemetry.sampling;

import com.google.protobuf.ByteString;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trace ids known to contain an error, remembered for a retention period after their last error and
 * bounded in number (the least recently marked is forgotten first), so later spans of those traces
 * are kept. Not thread-safe (the sampler's lock guards it).
 */
final class ErroredTraces {
  private final LinkedHashMap<ByteString, Long> marked;
  private final long retentionMillis;

  ErroredTraces(int maxTraces, long retentionMillis) {
    this.retentionMillis = retentionMillis;
    this.marked =
        new LinkedHashMap<>(1024, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<ByteString, Long> eldest) {
            return size() > maxTraces;
          }
        };
  }

  void mark(ByteString traceId, long nowMillis) {
    marked.put(traceId, nowMillis);
  }

  boolean contains(ByteString traceId) {
    return !marked.isEmpty() && marked.containsKey(traceId);
  }

  void expire(long nowMillis) {
    Iterator<Long> it = marked.values().iterator();
    while (it.hasNext() && it.next() + retentionMillis <= nowMillis) {
      it.remove();
    }
  }

  int size() {
    return marked.size();
  }
}
