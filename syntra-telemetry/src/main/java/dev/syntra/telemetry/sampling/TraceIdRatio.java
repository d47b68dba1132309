package dev.syntra.telemetry.sampling;

import com.google.protobuf.ByteString;

/**
 * The consistent trace sampling decision: a pure function of the trace id and the ratio, so every
 * service, every agent and every SDK that implements it keeps or drops the same traces and a trace
 * is never torn.
 *
 * <p>The function (the one of OpenTelemetry's consistent probability sampling and the W3C "random"
 * trace-id flag, 56 bits of randomness):
 *
 * <ol>
 *   <li>{@code R} = the low 56 bits of the 16-byte trace id, i.e. bytes 9 to 15 read as an unsigned
 *       big-endian integer (0 ≤ R < 2^56).
 *   <li>{@code T} = 2^56 − round(ratio × 2^56) (Java's {@code Math.round} on a double; ratio 1
 *       gives T = 0, ratio 0 gives T = 2^56).
 *   <li>The trace is kept when {@code R ≥ T}.
 * </ol>
 *
 * A trace id that is not 16 bytes long has no randomness to decide on and is kept.
 */
public final class TraceIdRatio {
  /** 2^56, the exclusive upper bound of the randomness and the threshold that keeps nothing. */
  public static final long MAX_THRESHOLD = 1L << 56;

  private TraceIdRatio() {}

  /** The rejection threshold {@code T} for {@code ratio} (clamped to 0..1). */
  public static long threshold(double ratio) {
    if (!(ratio > 0)) {
      return MAX_THRESHOLD;
    }
    if (ratio >= 1) {
      return 0;
    }
    return MAX_THRESHOLD - Math.round(ratio * MAX_THRESHOLD);
  }

  /** The randomness {@code R} of a trace id, or -1 when the id is not 16 bytes long. */
  public static long randomness(ByteString traceId) {
    if (traceId.size() != 16) {
      return -1;
    }
    long r = 0;
    for (int i = 9; i < 16; i++) {
      r = (r << 8) | (traceId.byteAt(i) & 0xFF);
    }
    return r;
  }

  /** Whether a trace with this id is kept at this threshold. */
  public static boolean isSampled(ByteString traceId, long threshold) {
    long r = randomness(traceId);
    return r < 0 || r >= threshold;
  }

  /** Whether a trace with this id is kept at this ratio. */
  public static boolean isSampled(ByteString traceId, double ratio) {
    return isSampled(traceId, threshold(ratio));
  }
}
