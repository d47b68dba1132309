package dev.syntra.agent.collect;

/**
 * What one collector handed to the pipeline since the agent started.
 *
 * @param source the collector ({@code logs}, {@code prometheus}, {@code host}, {@code container},
 *     {@code health})
 * @param chunks chunks sent
 * @param acceptedItems items (log records, data points) the pipeline kept
 * @param droppedItems items refused or rejected by the pipeline, or dropped by a full collector
 *     queue; never retried
 * @param refusedChunks chunks the pipeline refused as a whole
 */
public record CollectorStats(
    String source, long chunks, long acceptedItems, long droppedItems, long refusedChunks) {}
