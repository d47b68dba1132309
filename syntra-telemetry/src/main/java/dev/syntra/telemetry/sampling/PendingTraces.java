package dev.syntra.telemetry.sampling;

import com.google.protobuf.ByteString;
import dev.syntra.telemetry.Signal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Spans of traces not kept (yet), held until their decision window passes: an error in the trace
 * releases them, otherwise they are dropped. Bounded by bytes (serialized spans plus an estimate of
 * the bookkeeping, close to the heap they take); above the bound the trace seen least recently is evicted. Not
 * thread-safe (the sampler's lock guards it).
 */
final class PendingTraces {
  /** Heap cost of one held span beyond its serialized bytes (record, array header, list slot). */
  static final int SPAN_OVERHEAD_BYTES = 56;

  /** Heap cost of one pending trace (map entry, key, list, counters). */
  static final int TRACE_OVERHEAD_BYTES = 160;

  private final LinkedHashMap<ByteString, Trace> traces = new LinkedHashMap<>(1024, 0.75f, true);
  private final long maxBytes;
  private final long windowMillis;
  private final OutcomeCounters counters;
  private long bytes;
  private long spans;

  PendingTraces(long maxBytes, long windowMillis, OutcomeCounters counters) {
    this.maxBytes = maxBytes;
    this.windowMillis = windowMillis;
    this.counters = counters;
  }

  void hold(ByteString traceId, HeldSpan held, long nowMillis) {
    Trace trace = traces.get(traceId);
    if (trace == null) {
      trace = new Trace();
      traces.put(traceId, trace);
      trace.bytes = TRACE_OVERHEAD_BYTES;
      bytes += TRACE_OVERHEAD_BYTES;
    }
    long size = held.span().length + (long) SPAN_OVERHEAD_BYTES;
    trace.spans.add(held);
    trace.bytes += size;
    trace.lastSeenMillis = nowMillis;
    bytes += size;
    spans++;
    while (bytes > maxBytes && !traces.isEmpty()) {
      Iterator<Trace> eldest = traces.values().iterator();
      Trace evicted = eldest.next();
      eldest.remove();
      forget(evicted);
      counters.add(Signal.TRACES, SamplingOutcome.EVICTED, evicted.spans.size());
    }
  }

  /** Moves the held spans of a trace (if any) to {@code sink}. */
  void releaseTo(ByteString traceId, List<HeldSpan> sink) {
    Trace trace = traces.remove(traceId);
    if (trace != null) {
      forget(trace);
      sink.addAll(trace.spans);
    }
  }

  /** Drops the traces whose window has passed, counting their spans by the reason they were held. */
  void expire(long nowMillis) {
    Iterator<Trace> it = traces.values().iterator();
    while (it.hasNext()) {
      Trace trace = it.next();
      if (trace.lastSeenMillis + windowMillis > nowMillis) {
        return;
      }
      it.remove();
      forget(trace);
      for (HeldSpan held : trace.spans) {
        counters.add(Signal.TRACES, held.reason(), 1);
      }
    }
  }

  long traceCount() {
    return traces.size();
  }

  long spanCount() {
    return spans;
  }

  long bytes() {
    return bytes;
  }

  private void forget(Trace trace) {
    bytes -= trace.bytes;
    spans -= trace.spans.size();
  }

  private static final class Trace {
    final List<HeldSpan> spans = new ArrayList<>(4);
    long bytes;
    long lastSeenMillis;
  }
}
