package dev.syntra.agent.metrics;

import dev.syntra.protocol.message.SystemMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Builds the {@code system} object of a heartbeat. CPU use is the share of busy time between two
 * calls (the first call measures since boot); disk is the file system holding {@code diskPath} (the
 * state directory). Thread-safe.
 */
public final class SystemMetricsCollector {
  private final ProcFs proc;
  private final Path diskPath;
  private ProcFs.@Nullable CpuStat previous;

  public SystemMetricsCollector(ProcFs proc, Path diskPath) {
    this.proc = proc;
    this.diskPath = diskPath;
  }

  /** Takes a CPU sample now so the next {@link #collect()} measures from here. */
  public synchronized void prime() {
    previous = proc.cpu();
  }

  /** Reads every metric now. */
  public synchronized SystemMetrics collect() {
    ProcFs.CpuStat now = proc.cpu();
    ProcFs.CpuStat before = previous;
    previous = now;
    double cpu = percent(before == null ? null : before.all(), now.all());
    List<Double> perCore = new ArrayList<>(now.cores().size());
    for (int i = 0; i < now.cores().size(); i++) {
      ProcFs.CpuTimes old =
          before != null && before.cores().size() == now.cores().size()
              ? before.cores().get(i)
              : null;
      perCore.add(percent(old, now.cores().get(i)));
    }
    ProcFs.Memory memory = proc.memory();
    ProcFs.Network network = proc.network();
    long diskTotal;
    long diskUsed;
    try {
      FileStore store = Files.getFileStore(diskPath);
      diskTotal = store.getTotalSpace();
      diskUsed = Math.max(0, diskTotal - store.getUnallocatedSpace());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the file system of " + diskPath, e);
    }
    return new SystemMetrics(
        cpu,
        perCore,
        Math.max(0, proc.load1()),
        memory.usedBytes(),
        memory.totalBytes(),
        diskUsed,
        diskTotal,
        network.rxBytes(),
        network.txBytes(),
        proc.uptimeSeconds());
  }

  /** Busy share between two samples, 0 to 100, rounded to two decimals. */
  static double percent(ProcFs.@Nullable CpuTimes before, ProcFs.CpuTimes now) {
    long busy = now.busy() - (before == null ? 0 : before.busy());
    long total = now.total() - (before == null ? 0 : before.total());
    if (total <= 0 || busy < 0) {
      return 0;
    }
    double value = Math.min(100.0, 100.0 * busy / total);
    return Math.round(value * 100) / 100.0;
  }
}
