package dev.syntra.protocol.message;

import dev.syntra.protocol.internal.Checks;
import java.util.List;

/**
 * Host metrics read from /proc by the agent. Network counters are cumulative since boot.
 *
 * @param cpuPercent total CPU use, 0 to 100 (all cores)
 * @param cpuPerCorePercent use of each core, 0 to 100
 * @param load1 1-minute load average
 * @param memoryUsedBytes memory in use (total minus available)
 * @param memoryTotalBytes installed memory
 * @param diskUsedBytes used bytes of the file system holding the agent's data
 * @param diskTotalBytes size of that file system
 * @param networkRxBytes bytes received on all non-loopback interfaces
 * @param networkTxBytes bytes sent on all non-loopback interfaces
 * @param uptimeSeconds host uptime
 */
public record SystemMetrics(
    double cpuPercent,
    List<Double> cpuPerCorePercent,
    double load1,
    long memoryUsedBytes,
    long memoryTotalBytes,
    long diskUsedBytes,
    long diskTotalBytes,
    long networkRxBytes,
    long networkTxBytes,
    long uptimeSeconds) {
  public SystemMetrics {
    Checks.percent(cpuPercent, "cpu_percent", 100);
    cpuPerCorePercent = Checks.list(cpuPerCorePercent, "cpu_per_core_percent");
    for (int i = 0; i < cpuPerCorePercent.size(); i++) {
      Checks.percent(cpuPerCorePercent.get(i), "cpu_per_core_percent[" + i + "]", 100);
    }
    Checks.percent(load1, "load1", Double.MAX_VALUE);
    Checks.nonNegative(memoryUsedBytes, "memory_used_bytes");
    Checks.nonNegative(memoryTotalBytes, "memory_total_bytes");
    Checks.nonNegative(diskUsedBytes, "disk_used_bytes");
    Checks.nonNegative(diskTotalBytes, "disk_total_bytes");
    Checks.nonNegative(networkRxBytes, "network_rx_bytes");
    Checks.nonNegative(networkTxBytes, "network_tx_bytes");
    Checks.nonNegative(uptimeSeconds, "uptime_seconds");
  }
}
