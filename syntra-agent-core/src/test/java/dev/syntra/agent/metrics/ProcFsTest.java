package dev.syntra.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing of /proc files, from fixtures copied from a Debian 12 host. */
class ProcFsTest {
  private static Path fixture(String name) throws URISyntaxException {
    return Path.of(ProcFsTest.class.getResource("/" + name).toURI());
  }

  @Test
  void parsesCpuMemoryLoadNetworkAndUptime() throws Exception {
    ProcFs proc = new ProcFs(fixture("proc-fixture"));
    ProcFs.CpuStat cpu = proc.cpu();
    assertThat(cpu.all()).isEqualTo(new ProcFs.CpuTimes(1500, 10000));
    assertThat(cpu.cores())
        .containsExactly(new ProcFs.CpuTimes(900, 5000), new ProcFs.CpuTimes(600, 5000));
    assertThat(proc.load1()).isEqualTo(0.42);
    ProcFs.Memory memory = proc.memory();
    assertThat(memory.totalBytes()).isEqualTo(8_000_000L * 1024);
    assertThat(memory.usedBytes()).isEqualTo(3_000_000L * 1024);
    assertThat(proc.network()).isEqualTo(new ProcFs.Network(1234567 + 1000, 987654 + 2000));
    assertThat(proc.uptimeSeconds()).isEqualTo(86400);
    assertThat(HostFacts.hostname(proc)).isEqualTo("vps-fra-1");
  }

  @Test
  void cpuUseIsTheBusyShareBetweenTwoSamples(@TempDir Path root) throws Exception {
    copyFixture(root);
    SystemMetricsCollector collector = new SystemMetricsCollector(new ProcFs(root), root);
    collector.prime();
    Files.writeString(
        root.resolve("stat"),
        "cpu  1300 0 600 8050 550 0 0 0 0 0\n"
            + "cpu0 850 0 350 3900 200 0 0 0 0 0\n"
            + "cpu1 450 0 250 4150 350 0 0 0 0 0\n");
    var metrics = collector.collect();
    // total delta 500, idle+iowait delta 100: 80% busy.
    assertThat(metrics.cpuPercent()).isEqualTo(80.0);
    assertThat(metrics.cpuPerCorePercent()).containsExactly(100.0, 50.0);
    assertThat(metrics.memoryTotalBytes()).isEqualTo(8_000_000L * 1024);
    assertThat(metrics.diskTotalBytes()).isPositive();
    assertThat(metrics.load1()).isEqualTo(0.42);
  }

  @Test
  void fallsBackWithoutMemAvailable(@TempDir Path root) throws Exception {
    copyFixture(root);
    Files.writeString(
        root.resolve("meminfo"),
        "MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 250 kB\n");
    assertThat(new ProcFs(root).memory().usedBytes()).isEqualTo(600L * 1024);
  }

  @Test
  void readsOsAndArch() throws Exception {
    assertThat(HostFacts.os(fixture("os-release-debian"))).isEqualTo("debian-12");
    assertThat(HostFacts.os(Path.of("/nonexistent/os-release"))).isEqualTo("linux");
    assertThat(HostFacts.arch("amd64")).isEqualTo("x86_64");
    assertThat(HostFacts.arch("aarch64")).isEqualTo("aarch64");
  }

  private static void copyFixture(Path root) throws IOException, URISyntaxException {
    Path source = fixture("proc-fixture");
    try (var files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path target = root.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
