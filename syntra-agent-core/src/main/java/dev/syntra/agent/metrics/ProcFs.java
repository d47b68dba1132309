package dev.syntra.agent.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the Linux files under {@code /proc} the agent reports from. The root is a parameter so
 * tests can read fixture files. Every method reads its file afresh; failures surface as {@link
 * UncheckedIOException} or {@link IllegalStateException} naming the file.
 */
public final class ProcFs {
  private final Path root;

  public ProcFs(Path root) {
    this.root = root;
  }

  /** The real {@code /proc}. */
  public static ProcFs system() {
    return new ProcFs(Path.of("/proc"));
  }

  /** Cumulative CPU times of one CPU line of {@code /proc/stat}, in clock ticks. */
  public record CpuTimes(long busy, long total) {}

  /** The aggregate line and one line per core of {@code /proc/stat}. */
  public record CpuStat(CpuTimes all, List<CpuTimes> cores) {}

  /** {@code MemTotal} and {@code MemAvailable} in bytes. */
  public record Memory(long totalBytes, long availableBytes) {
    public long usedBytes() {
      return Math.max(0, totalBytes - availableBytes);
    }
  }

  /** Bytes received and sent over all non-loopback interfaces since boot. */
  public record Network(long rxBytes, long txBytes) {}

  /** Reads {@code /proc/stat}. */
  public CpuStat cpu() {
    CpuTimes all = null;
    List<CpuTimes> cores = new ArrayList<>();
    for (String line : lines("stat")) {
      if (!line.startsWith("cpu")) {
        continue;
      }
      String[] f = line.trim().split("\\s+");
      if (f.length < 5) {
        throw new IllegalStateException(root.resolve("stat") + ": short cpu line '" + line + "'");
      }
      // user nice system idle iowait irq softirq steal; guest time is already inside user.
      long total = 0;
      for (int i = 1; i < Math.min(f.length, 9); i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
      CpuTimes times = new CpuTimes(total - idle, total);
      if (f[0].equals("cpu")) {
        all = times;
      } else {
        cores.add(times);
      }
    }
    if (all == null) {
      throw new IllegalStateException(root.resolve("stat") + ": no aggregate cpu line");
    }
    return new CpuStat(all, List.copyOf(cores));
  }

  /** The 1-minute load average from {@code /proc/loadavg}. */
  public double load1() {
    String text = read("loadavg").trim();
    return Double.parseDouble(text.split("\\s+")[0]);
  }

  /** Reads {@code /proc/meminfo}. */
  public Memory memory() {
    long total = -1;
    long available = -1;
    long free = 0;
    long buffers = 0;
    long cached = 0;
    for (String line : lines("meminfo")) {
      String[] f = line.split("[:\\s]+");
      if (f.length < 2) {
        continue;
      }
      long bytes = Long.parseLong(f[1]) * (f.length > 2 && f[2].equals("kB") ? 1024 : 1);
      switch (f[0]) {
        case "MemTotal" -> total = bytes;
        case "MemAvailable" -> available = bytes;
        case "MemFree" -> free = bytes;
        case "Buffers" -> buffers = bytes;
        case "Cached" -> cached = bytes;
        default -> {}
      }
    }
    if (total < 0) {
      throw new IllegalStateException(root.resolve("meminfo") + ": no MemTotal line");
    }
    // Kernels before 3.14 have no MemAvailable; free + buffers + cached approximates it.
    return new Memory(total, available >= 0 ? available : free + buffers + cached);
  }

  /** Reads {@code /proc/net/dev}, summing every interface but {@code lo}. */
  public Network network() {
    long rx = 0;
    long tx = 0;
    for (String line : lines("net/dev")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue; // the two header lines
      }
      String name = line.substring(0, colon).trim();
      if (name.equals("lo")) {
        continue;
      }
      String[] f = line.substring(colon + 1).trim().split("\\s+");
      if (f.length < 9) {
        throw new IllegalStateException(root.resolve("net/dev") + ": short line for " + name);
      }
      rx += Long.parseLong(f[0]);
      tx += Long.parseLong(f[8]);
    }
    return new Network(rx, tx);
  }

  /** Whole seconds since boot from {@code /proc/uptime}. */
  public long uptimeSeconds() {
    String first = read("uptime").trim().split("\\s+")[0];
    return (long) Double.parseDouble(first);
  }

  /** The kernel's host name from {@code /proc/sys/kernel/hostname}. */
  public String hostname() {
    return read("sys/kernel/hostname").trim();
  }

  private List<String> lines(String name) {
    return read(name).lines().toList();
  }

  private String read(String name) {
    Path file = root.resolve(name);
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  @Override
  public String toString() {
    return "ProcFs[" + root + "]";
  }
}
