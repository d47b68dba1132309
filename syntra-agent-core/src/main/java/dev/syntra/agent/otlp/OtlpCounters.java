package dev.syntra.agent.otlp;

import dev.syntra.telemetry.Signal;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the OTLP receivers did, per transport and signal: requests answered, items handed on, items
 * rejected as invalid (or by the intake), items of refused requests, and bad requests (4xx, nothing
 * handed on). One instance may be shared by both receivers. Thread-safe; lock-free.
 */
public final class OtlpCounters {
  /** The OTLP transport a request came over. */
  public enum Transport {
    GRPC,
    HTTP
  }

  /**
   * Counts of one transport and signal since start.
   *
   * @param requests requests answered (every status)
   * @param acceptedItems spans, log records or data points handed to the intake and kept
   * @param rejectedItems items not kept: invalid, or rejected by the intake (partial success)
   * @param refusedItems items of requests the intake refused (429 / RESOURCE_EXHAUSTED)
   * @param badRequests requests answered with a client error (malformed, too large, bad type)
   */
  public record Counts(
      long requests, long acceptedItems, long rejectedItems, long refusedItems, long badRequests) {}

  /** Counts of every transport and signal at one moment. */
  public record Snapshot(Map<Transport, Map<Signal, Counts>> counts) {
    public Snapshot {
      counts = Map.copyOf(counts);
    }

    public Counts get(Transport transport, Signal signal) {
      return counts.get(transport).get(signal);
    }
  }

  private enum Kind {
    REQUESTS,
    ACCEPTED,
    REJECTED,
    REFUSED,
    BAD
  }

  private final LongAdder[][][] adders =
      new LongAdder[Transport.values().length][Signal.values().length][Kind.values().length];

  public OtlpCounters() {
    for (LongAdder[][] perTransport : adders) {
      for (LongAdder[] perSignal : perTransport) {
        for (int k = 0; k < perSignal.length; k++) {
          perSignal[k] = new LongAdder();
        }
      }
    }
  }

  void request(Transport t, Signal s) {
    add(t, s, Kind.REQUESTS, 1);
  }

  void accepted(Transport t, Signal s, long items) {
    add(t, s, Kind.ACCEPTED, items);
  }

  void rejected(Transport t, Signal s, long items) {
    add(t, s, Kind.REJECTED, items);
  }

  void refused(Transport t, Signal s, long items) {
    add(t, s, Kind.REFUSED, items);
  }

  void badRequest(Transport t, Signal s) {
    add(t, s, Kind.BAD, 1);
  }

  private void add(Transport t, Signal s, Kind k, long n) {
    if (n != 0) {
      adders[t.ordinal()][s.ordinal()][k.ordinal()].add(n);
    }
  }

  public Snapshot snapshot() {
    Map<Transport, Map<Signal, Counts>> out = new EnumMap<>(Transport.class);
    for (Transport t : Transport.values()) {
      Map<Signal, Counts> perSignal = new EnumMap<>(Signal.class);
      for (Signal s : Signal.values()) {
        LongAdder[] a = adders[t.ordinal()][s.ordinal()];
        perSignal.put(
            s,
            new Counts(
                a[Kind.REQUESTS.ordinal()].sum(),
                a[Kind.ACCEPTED.ordinal()].sum(),
                a[Kind.REJECTED.ordinal()].sum(),
                a[Kind.REFUSED.ordinal()].sum(),
                a[Kind.BAD.ordinal()].sum()));
      }
      out.put(t, Map.copyOf(perSignal));
    }
    return new Snapshot(out);
  }

  @Override
  public String toString() {
    return "OtlpCounters" + snapshot().counts();
  }
}
