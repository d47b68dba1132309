package dev.syntra.agent.collect;

import java.time.Duration;

/**
 * Limits and timings of container log collection.
 *
 * @param flushTimeout a pending record (possibly a stack trace still growing) is closed when no
 *     line came for this long
 * @param maxRecordLines lines joined into one record at most
 * @param maxRecordBytes bytes joined into one record at most
 * @param queueRecords records queued per service between the runtime's reader and the pipeline
 * @param offerTimeout how long the reader waits for room in a full queue before the record is
 *     dropped (and counted); the wait slows the runtime's reader instead of losing lines
 * @param replicaCheckInterval how often the replicas of a service are compared with those being
 *     followed (new replicas are picked up then)
 * @param backoffInitial first wait before following again after a stream ended or failed
 * @param backoffMax longest such wait
 * @param maxRecordsPerChunk records per telemetry chunk
 */
public record LogSettings(
    Duration flushTimeout,
    int maxRecordLines,
    int maxRecordBytes,
    int queueRecords,
    Duration offerTimeout,
    Duration replicaCheckInterval,
    Duration backoffInitial,
    Duration backoffMax,
    int maxRecordsPerChunk) {
  /** 500 ms, 500 lines, 64 KiB, 2,000 records, 2 s, 10 s, 1 s..30 s, 1,000 records. */
  public static final LogSettings DEFAULT =
      new LogSettings(
          Duration.ofMillis(500),
          500,
          64 * 1024,
          2_000,
          Duration.ofSeconds(2),
          Duration.ofSeconds(10),
          Duration.ofSeconds(1),
          Duration.ofSeconds(30),
          1_000);

  public LogSettings {
    if (maxRecordLines < 1 || maxRecordBytes < 1024 || queueRecords < 1 || maxRecordsPerChunk < 1) {
      throw new IllegalArgumentException(
          "log settings: maxRecordLines, queueRecords, maxRecordsPerChunk must be positive and"
              + " maxRecordBytes at least 1024");
    }
  }
}
