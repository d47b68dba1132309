package dev.syntra.telemetry.sampling;

import com.google.protobuf.ByteString;
import dev.syntra.telemetry.Signal;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Spans of traces not kept (yet), held until their decision window (after the trace's last span)
 * passes: an error in the trace releases them, otherwise they are dropped and counted by the reason
 * they were held. The spans live serialized in a {@link SpanArena} of {@code maxBytes}; when it
 * wraps, the traces held longest (by first span) are evicted whole and counted as {@link
 * SamplingOutcome#EVICTED} (or by their reason if their window had passed). The index holds at most
 * {@code maxBytes / 512} traces. Not thread-safe (the sampler's lock guards it).
 */
final class PendingTraces {
  private final LinkedHashMap<ByteString, Trace> traces = new LinkedHashMap<>(1024);
  private final SpanArena arena;
  private final int maxTraces;
  private final long windowMillis;
  private final OutcomeCounters counters;
  private long bytes;
  private long spans;

  PendingTraces(int maxBytes, long windowMillis, OutcomeCounters counters) {
    this.arena = new SpanArena(maxBytes);
    this.maxTraces = Math.max(1, maxBytes / 512);
    this.windowMillis = windowMillis;
    this.counters = counters;
  }

  /** Holds a span; returns its record's position, or -1 when it is too large to hold (counted). */
  long hold(
      ByteString traceId,
      Span span,
      ResourceSpans resource,
      ScopeSpans scope,
      SamplingOutcome reason,
      long nowMillis) {
    int size = span.getSerializedSize();
    if (!arena.fits(size)) {
      counters.add(Signal.TRACES, SamplingOutcome.EVICTED, 1);
      return -1;
    }
    evictBelow(arena.floorAfter(size), nowMillis);
    long position = arena.write(span, size, reason);
    Trace trace = traces.get(traceId);
    if (trace == null) {
      if (traces.size() >= maxTraces) {
        evict(traces.values().iterator(), nowMillis);
      }
      trace = new Trace();
      traces.put(traceId, trace);
    }
    trace.add(position, resource, scope);
    trace.lastSeenMillis = nowMillis;
    bytes += size + SpanArena.HEADER_BYTES;
    spans++;
    return position;
  }

  /** Withdraws every span of a refused request (see {@link #withdraw(ByteString, long)}). */
  void withdraw(Receipt receipt) {
    for (int i = 0; i < receipt.count; i++) {
      withdraw(receipt.traceIds[i], receipt.positions[i]);
    }
  }

  /**
   * Takes back a span {@link #hold} returned {@code position} for, because its request was refused
   * and will be retried: the record stays in the ring (so the order of the index holds) but is
   * neither released nor counted. A no-op when the trace was released, expired or evicted
   * meanwhile.
   */
  void withdraw(ByteString traceId, long position) {
    Trace trace = traces.get(traceId);
    if (trace == null || !trace.withdraw(position)) {
      return;
    }
    bytes -= arena.recordBytes(position);
    spans--;
    if (trace.live == 0) {
      traces.remove(traceId);
    }
  }

  /**
   * Moves the held spans of a trace to {@code sink}, unless its window has passed (then they are
   * dropped and counted, as if expired).
   */
  void releaseTo(ByteString traceId, long nowMillis, List<HeldSpan> sink) {
    Trace trace = traces.remove(traceId);
    if (trace == null) {
      return;
    }
    if (trace.lastSeenMillis + windowMillis <= nowMillis) {
      drop(trace, false);
      return;
    }
    for (int i = 0; i < trace.count; i++) {
      long position = trace.positions[i];
      if (position < 0) {
        continue;
      }
      sink.add(
          new HeldSpan(
              traceId,
              arena.read(position),
              (ResourceSpans) trace.shells[2 * i],
              (ScopeSpans) trace.shells[2 * i + 1],
              arena.reason(position)));
    }
    forget(trace);
  }

  /**
   * Drops traces whose window has passed, oldest first, stopping at the first one still waiting
   * (cheap, for every request); {@code all} scans every trace (for snapshots).
   */
  void expire(long nowMillis, boolean all) {
    Iterator<Trace> it = traces.values().iterator();
    while (it.hasNext()) {
      Trace trace = it.next();
      if (trace.lastSeenMillis + windowMillis > nowMillis) {
        if (all) {
          continue;
        }
        return;
      }
      it.remove();
      drop(trace, false);
    }
  }

  long traceCount() {
    return traces.size();
  }

  long spanCount() {
    return spans;
  }

  /** Bytes of held span records (the ring itself is allocated once, on first use). */
  long bytes() {
    return bytes;
  }

  private void evictBelow(long floor, long nowMillis) {
    Iterator<Trace> it = traces.values().iterator();
    while (it.hasNext()) {
      Trace head = it.next();
      if (head.start() >= floor) {
        return;
      }
      evictCurrent(it, head, nowMillis);
    }
  }

  private void evict(Iterator<Trace> it, long nowMillis) {
    evictCurrent(it, it.next(), nowMillis);
  }

  private void evictCurrent(Iterator<Trace> it, Trace trace, long nowMillis) {
    it.remove();
    drop(trace, trace.lastSeenMillis + windowMillis > nowMillis);
  }

  private void drop(Trace trace, boolean early) {
    for (int i = 0; i < trace.count; i++) {
      long position = trace.positions[i];
      if (position >= 0) {
        counters.add(Signal.TRACES, early ? SamplingOutcome.EVICTED : arena.reason(position), 1);
      }
    }
    forget(trace);
  }

  private void forget(Trace trace) {
    for (int i = 0; i < trace.count; i++) {
      if (trace.positions[i] >= 0) {
        bytes -= arena.recordBytes(trace.positions[i]);
      }
    }
    spans -= trace.live;
  }

  /** Where one request's spans were held, so that they can be withdrawn if it is refused. */
  static final class Receipt {
    static final Receipt NONE = new Receipt(0);

    private ByteString[] traceIds;
    private long[] positions;
    private int count;

    Receipt(int capacity) {
      traceIds = new ByteString[capacity];
      positions = new long[capacity];
    }

    void add(ByteString traceId, long position) {
      if (count == positions.length) {
        traceIds = Arrays.copyOf(traceIds, Math.max(8, count * 2));
        positions = Arrays.copyOf(positions, traceIds.length);
      }
      traceIds[count] = traceId;
      positions[count] = position;
      count++;
    }

    int size() {
      return count;
    }
  }

  /**
   * One pending trace: its records' positions (withdrawn ones as {@code -1 - position}, so the
   * first entry still says where the trace starts in the ring) and, per record, its resource and
   * scope shells.
   */
  private static final class Trace {
    long[] positions = new long[2];
    Object[] shells = new Object[4];
    int count;
    int live;
    long lastSeenMillis;

    /** Where the trace's first record starts in the ring, withdrawn or not. */
    long start() {
      return positions[0] >= 0 ? positions[0] : -1 - positions[0];
    }

    boolean withdraw(long position) {
      for (int i = count - 1; i >= 0; i--) {
        if (positions[i] == position) {
          positions[i] = -1 - position;
          live--;
          return true;
        }
      }
      return false;
    }

    void add(long position, ResourceSpans resource, ScopeSpans scope) {
      if (count == positions.length) {
        positions = Arrays.copyOf(positions, count * 2);
        shells = Arrays.copyOf(shells, count * 4);
      }
      positions[count] = position;
      shells[2 * count] = resource;
      shells[2 * count + 1] = scope;
      count++;
      live++;
    }
  }
}
