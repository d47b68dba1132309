package dev.syntra.runtime.docker.internal.stats;

import com.github.dockerjava.api.model.BlkioStatEntry;
import com.github.dockerjava.api.model.BlkioStatsConfig;
import com.github.dockerjava.api.model.CpuStatsConfig;
import com.github.dockerjava.api.model.MemoryStatsConfig;
import com.github.dockerjava.api.model.StatisticNetworksConfig;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.StatsConfig;
import dev.syntra.protocol.runtime.ContainerMetrics;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Computes {@link ContainerMetrics} from one daemon stats sample the way {@code docker stats} does.
 * Pure functions; every missing field counts as 0 (a stopped container reports little).
 */
final class StatsCalculator {
  /** Upper bound of {@link ContainerMetrics#cpuPercent()} accepted by the protocol. */
  private static final double MAX_CPU_PERCENT = 100_000;

  private StatsCalculator() {}

  /**
   * @param unlimited whether the container has no memory limit ({@code HostConfig.Memory == 0});
   *     the daemon then reports the host's memory as the limit, which we report as 0
   */
  static ContainerMetrics metrics(
      Statistics stats, String replicaName, Instant at, boolean unlimited) {
    MemoryStatsConfig memory = stats.getMemoryStats();
    long limit = unlimited || memory == null ? 0 : nonNegative(memory.getLimit());
    long[] network = network(stats.getNetworks());
    long[] block = block(stats.getBlkioStats());
    long pids = stats.getPidsStats() == null ? 0 : nonNegative(stats.getPidsStats().getCurrent());
    return new ContainerMetrics(
        replicaName,
        at,
        cpuPercent(stats.getCpuStats(), stats.getPreCpuStats()),
        memoryUsage(memory),
        limit,
        network[0],
        network[1],
        block[0],
        block[1],
        (int) Math.min(Integer.MAX_VALUE, pids));
  }

  /**
   * CPU use in percent of one core: {@code (cpu delta / system delta) × online CPUs × 100}, or 0
   * when either delta is not positive (first sample, stopped container).
   */
  static double cpuPercent(@Nullable CpuStatsConfig cpu, @Nullable CpuStatsConfig previous) {
    if (cpu == null || previous == null || cpu.getCpuUsage() == null) {
      return 0;
    }
    long total = nonNegative(cpu.getCpuUsage().getTotalUsage());
    long previousTotal =
        previous.getCpuUsage() == null ? 0 : nonNegative(previous.getCpuUsage().getTotalUsage());
    long cpuDelta = total - previousTotal;
    long systemDelta =
        nonNegative(cpu.getSystemCpuUsage()) - nonNegative(previous.getSystemCpuUsage());
    if (cpuDelta <= 0 || systemDelta <= 0) {
      return 0;
    }
    long online = nonNegative(cpu.getOnlineCpus());
    if (online == 0) {
      List<Long> perCpu = cpu.getCpuUsage().getPercpuUsage();
      online = perCpu == null ? 1 : Math.max(1, perCpu.size());
    }
    double percent = (double) cpuDelta / systemDelta * online * 100.0;
    return Math.min(MAX_CPU_PERCENT, percent);
  }

  /**
   * Usage minus the inactive page cache, like {@code docker stats}: cgroup v1 {@code
   * total_inactive_file}, cgroup v2 {@code inactive_file}, else (old daemons) {@code cache}.
   */
  static long memoryUsage(@Nullable MemoryStatsConfig memory) {
    if (memory == null) {
      return 0;
    }
    long usage = nonNegative(memory.getUsage());
    StatsConfig details = memory.getStats();
    if (details == null) {
      return usage;
    }
    Long cache =
        first(details.getTotalInactiveFile(), details.getInactiveFile(), details.getCache());
    return cache != null && cache < usage ? usage - cache : usage;
  }

  /** Received and sent bytes summed over every interface. */
  static long[] network(@Nullable Map<String, StatisticNetworksConfig> networks) {
    long rx = 0;
    long tx = 0;
    if (networks != null) {
      for (StatisticNetworksConfig n : networks.values()) {
        if (n != null) {
          rx += nonNegative(n.getRxBytes());
          tx += nonNegative(n.getTxBytes());
        }
      }
    }
    return new long[] {rx, tx};
  }

  /** Bytes read and written, summed over devices from {@code io_service_bytes_recursive}. */
  static long[] block(@Nullable BlkioStatsConfig blkio) {
    long read = 0;
    long write = 0;
    List<BlkioStatEntry> entries = blkio == null ? null : blkio.getIoServiceBytesRecursive();
    if (entries != null) {
      for (BlkioStatEntry e : entries) {
        if (e == null || e.getOp() == null) {
          continue;
        }
        switch (e.getOp().toLowerCase(Locale.ROOT)) {
          case "read" -> read += nonNegative(e.getValue());
          case "write" -> write += nonNegative(e.getValue());
          default -> {
            // sync/async/total/discard repeat the same bytes.
          }
        }
      }
    }
    return new long[] {read, write};
  }

  @SafeVarargs
  private static <T> @Nullable T first(@Nullable T... values) {
    for (T value : values) {
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  private static long nonNegative(@Nullable Long value) {
    return value == null || value < 0 ? 0 : value;
  }
}
