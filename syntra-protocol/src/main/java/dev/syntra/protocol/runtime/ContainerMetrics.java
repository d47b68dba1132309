package dev.syntra.protocol.runtime;

import dev.syntra.protocol.internal.Checks;
import java.time.Instant;

/**
 * One resource sample of one replica. Byte counters are cumulative since the replica started.
 *
 * @param replicaId container or pod name
 * @param at when the sample was taken
 * @param cpuPercent CPU use in percent of one core (200 = two full cores)
 * @param memoryUsageBytes resident memory in use
 * @param memoryLimitBytes the memory limit, or 0 when unlimited
 * @param networkRxBytes bytes received
 * @param networkTxBytes bytes sent
 * @param blockReadBytes bytes read from block devices
 * @param blockWriteBytes bytes written to block devices
 * @param pids number of processes/threads
 */
public record ContainerMetrics(
    String replicaId,
    Instant at,
    double cpuPercent,
    long memoryUsageBytes,
    long memoryLimitBytes,
    long networkRxBytes,
    long networkTxBytes,
    long blockReadBytes,
    long blockWriteBytes,
    int pids) {
  public ContainerMetrics {
    Checks.notBlank(replicaId, "replica_id");
    Checks.notNull(at, "at");
    Checks.percent(cpuPercent, "cpu_percent", 100_000);
    Checks.nonNegative(memoryUsageBytes, "memory_usage_bytes");
    Checks.nonNegative(memoryLimitBytes, "memory_limit_bytes");
    Checks.nonNegative(networkRxBytes, "network_rx_bytes");
    Checks.nonNegative(networkTxBytes, "network_tx_bytes");
    Checks.nonNegative(blockReadBytes, "block_read_bytes");
    Checks.nonNegative(blockWriteBytes, "block_write_bytes");
    Checks.nonNegative(pids, "pids");
  }
}
