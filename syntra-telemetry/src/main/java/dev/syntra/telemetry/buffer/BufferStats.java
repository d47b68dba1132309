package dev.syntra.telemetry.buffer;

/**
 * A point-in-time view of a {@link TelemetryBuffer}, for metrics.
 *
 * @param usedBytes bytes counted against {@code maxBytes} now
 * @param maxBytes the bound
 * @param frames sealed frames waiting for acknowledgement
 * @param spoolBytes bytes of spool segment files (0 without a spool)
 * @param spoolSegments spool segment files
 * @param spoolTruncations damaged spool segments truncated at open
 * @param spoolLostChunks chunks named by a spooled batch but lost to damage
 * @param spoolFsyncs fsyncs of the spool so far
 */
public record BufferStats(
    long usedBytes,
    long maxBytes,
    int frames,
    long spoolBytes,
    int spoolSegments,
    int spoolTruncations,
    long spoolLostChunks,
    long spoolFsyncs) {}
