package dev.syntra.protocol.message;

import dev.syntra.protocol.ProtocolLimits;
import dev.syntra.protocol.internal.Checks;
import java.time.Duration;

/**
 * Parameters the server sets for a session in {@link HelloOk}.
 *
 * @param heartbeatInterval how often the agent sends {@link Heartbeat}
 * @param traceSampleRatio share of traces kept (0 to 1); error traces are always kept
 * @param bufferMaxBytes bound of the agent's telemetry buffer
 * @param batchMaxEvents a batch is flushed at this many events...
 * @param batchMaxDelay ...or after this long, whichever comes first
 * @param maxFrameBytes largest binary telemetry frame the server accepts (text messages have their
 *     own bound, {@link ProtocolLimits#MAX_TEXT_MESSAGE_BYTES})
 */
public record SessionSettings(
    Duration heartbeatInterval,
    double traceSampleRatio,
    long bufferMaxBytes,
    int batchMaxEvents,
    Duration batchMaxDelay,
    int maxFrameBytes) {

  /** 30 s heartbeats, 10% traces, 50 MiB buffer, 1000 events or 5 s per batch, 4 MiB frames. */
  public static final SessionSettings DEFAULTS =
      new SessionSettings(
          Duration.ofSeconds(30),
          0.1,
          50L << 20,
          1000,
          Duration.ofSeconds(5),
          ProtocolLimits.MAX_TEXT_MESSAGE_BYTES);

  public SessionSettings {
    positive(heartbeatInterval, "heartbeat_interval_ms");
    Checks.percent(traceSampleRatio, "trace_sample_ratio", 1.0);
    Checks.nonNegative(bufferMaxBytes, "buffer_max_bytes");
    Checks.range(batchMaxEvents, 1, 1_000_000, "batch_max_events");
    positive(batchMaxDelay, "batch_max_delay_ms");
    Checks.range(maxFrameBytes, 1024, 1 << 30, "max_frame_bytes");
  }

  private static void positive(Duration value, String field) {
    Checks.notNull(value, field);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(field + ": must be positive");
    }
  }
}
