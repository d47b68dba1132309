package dev.syntra.telemetry.buffer.internal;

import dev.syntra.protocol.frame.BatchId;
import dev.syntra.protocol.frame.SignalCounts;
import dev.syntra.protocol.frame.TelemetryFrame;
import dev.syntra.telemetry.TelemetryChunk;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The chunks of one batch that is still open (not yet a frame). Not thread-safe: the buffer guards
 * it with its lock, and hands a full batch to one sealing thread.
 */
public final class OpenBatch {
  private final boolean priority;
  private final List<TelemetryChunk> chunks = new ArrayList<>();
  private long[] chunkIds = new long[16];
  private long bytes;
  private long spans;
  private long logRecords;
  private long metricPoints;
  private Instant openedAt = Instant.MAX;
  private long firstSegment = -1;

  public OpenBatch(boolean priority) {
    this.priority = priority;
  }

  /**
   * Adds a chunk.
   *
   * @param chunkId the chunk's spool id (0 without a spool)
   * @param segment the spool segment holding it, or -1
   */
  public void add(
      TelemetryChunk chunk,
      SignalCounts counts,
      long size,
      long chunkId,
      long segment,
      Instant now) {
    if (chunks.isEmpty()) {
      openedAt = now;
    }
    if (chunks.size() == chunkIds.length) {
      chunkIds = Arrays.copyOf(chunkIds, chunkIds.length * 2);
    }
    chunkIds[chunks.size()] = chunkId;
    chunks.add(chunk);
    bytes += size;
    spans += counts.spans();
    logRecords += counts.logRecords();
    metricPoints += counts.metricPoints();
    if (firstSegment < 0) {
      firstSegment = segment;
    }
  }

  /** Builds the frame of this batch: the chunks' resources concatenated, in arrival order. */
  public TelemetryFrame toFrame(BatchId batchId) {
    TracesData.Builder traces = TracesData.newBuilder();
    LogsData.Builder logs = LogsData.newBuilder();
    MetricsData.Builder metrics = MetricsData.newBuilder();
    for (TelemetryChunk chunk : chunks) {
      traces.addAllResourceSpans(chunk.traces().getResourceSpansList());
      logs.addAllResourceLogs(chunk.logs().getResourceLogsList());
      metrics.addAllResourceMetrics(chunk.metrics().getResourceMetricsList());
    }
    return new TelemetryFrame(batchId, traces.build(), logs.build(), metrics.build());
  }

  public boolean isEmpty() {
    return chunks.isEmpty();
  }

  public boolean priority() {
    return priority;
  }

  /** Uncompressed bytes of the chunks (their protobuf sizes). */
  public long bytes() {
    return bytes;
  }

  public long items() {
    return spans + logRecords + metricPoints;
  }

  public SignalCounts counts() {
    return new SignalCounts(spans, logRecords, metricPoints);
  }

  public Instant openedAt() {
    return openedAt;
  }

  /**
   * The spool segment of the first chunk, which the batch pins (appends are in order, so it is the
   * oldest), or -1 without a spool.
   */
  public long firstSegment() {
    return firstSegment;
  }

  public long[] chunkIds() {
    return Arrays.copyOf(chunkIds, chunks.size());
  }
}
