package dev.syntra.runtime.docker.internal.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Statistics;
import dev.syntra.protocol.runtime.ContainerMetrics;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Samples in the daemon's own JSON, decoded by docker-java's model as in production. */
class StatsCalculatorTest {
  private static final Instant AT = Instant.parse("2026-11-26T14:25:00Z");
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** Trimmed from Docker 20.10 on cgroup v1 (this machine). */
  private static final String CGROUP_V1 =
      """
      {"read":"2026-11-26T14:24:59.414827575Z","pids_stats":{"current":3},
       "blkio_stats":{"io_service_bytes_recursive":[
         {"major":8,"minor":0,"op":"Read","value":4096},
         {"major":8,"minor":0,"op":"Write","value":8192},
         {"major":8,"minor":0,"op":"Sync","value":12288},
         {"major":8,"minor":0,"op":"Total","value":12288},
         {"major":8,"minor":16,"op":"Read","value":100}]},
       "cpu_stats":{"cpu_usage":{"total_usage":1500000000,"percpu_usage":[1,2]},
         "system_cpu_usage":8176290000000,"online_cpus":2},
       "precpu_stats":{"cpu_usage":{"total_usage":1000000000,"percpu_usage":[1,2]},
         "system_cpu_usage":8174290000000,"online_cpus":2},
       "memory_stats":{"usage":2449408,"limit":67108864,
         "stats":{"cache":1859584,"inactive_file":1000,"total_inactive_file":1814528}},
       "networks":{"eth0":{"rx_bytes":646,"tx_bytes":10},"eth1":{"rx_bytes":4,"tx_bytes":5}}}
      """;

  /** The shape cgroup v2 daemons send: lower-case ops, {@code inactive_file}, no totals. */
  private static final String CGROUP_V2 =
      """
      {"pids_stats":{"current":7},
       "blkio_stats":{"io_service_bytes_recursive":[
         {"major":254,"minor":0,"op":"read","value":300},
         {"major":254,"minor":0,"op":"write","value":700}]},
       "cpu_stats":{"cpu_usage":{"total_usage":4000000000},
         "system_cpu_usage":20000000000,"online_cpus":4},
       "precpu_stats":{"cpu_usage":{"total_usage":2000000000},
         "system_cpu_usage":10000000000,"online_cpus":4},
       "memory_stats":{"usage":10000000,"limit":9223372036854771712,
         "stats":{"inactive_file":4000000,"file":5000000}},
       "networks":{"eth0":{"rx_bytes":1,"tx_bytes":2}}}
      """;

  private static Statistics parse(String json) throws Exception {
    return JSON.readValue(json, Statistics.class);
  }

  @Test
  void computesEveryFigureLikeDockerStatsOnCgroupV1() throws Exception {
    ContainerMetrics m = StatsCalculator.metrics(parse(CGROUP_V1), "syn-a-b-c-0", AT, false);

    // 0.5e9 ns of CPU over 2e9 ns of system time on 2 CPUs = 50% of one core.
    assertThat(m.cpuPercent()).isCloseTo(50.0, within(1e-9));
    assertThat(m.memoryUsageBytes()).isEqualTo(2449408 - 1814528);
    assertThat(m.memoryLimitBytes()).isEqualTo(67108864);
    assertThat(m.networkRxBytes()).isEqualTo(650);
    assertThat(m.networkTxBytes()).isEqualTo(15);
    assertThat(m.blockReadBytes()).isEqualTo(4196);
    assertThat(m.blockWriteBytes()).isEqualTo(8192);
    assertThat(m.pids()).isEqualTo(3);
    assertThat(m.replicaId()).isEqualTo("syn-a-b-c-0");
    assertThat(m.at()).isEqualTo(AT);
  }

  @Test
  void computesEveryFigureOnCgroupV2AndReportsNoLimitWhenUnlimited() throws Exception {
    ContainerMetrics m = StatsCalculator.metrics(parse(CGROUP_V2), "r", AT, true);

    // 2e9 over 1e10 on 4 CPUs = 80%.
    assertThat(m.cpuPercent()).isCloseTo(80.0, within(1e-9));
    assertThat(m.memoryUsageBytes()).isEqualTo(6_000_000);
    assertThat(m.memoryLimitBytes()).isZero();
    assertThat(m.blockReadBytes()).isEqualTo(300);
    assertThat(m.blockWriteBytes()).isEqualTo(700);
    assertThat(m.pids()).isEqualTo(7);
  }

  @Test
  void aStoppedContainerSampleIsAllZeros() throws Exception {
    Statistics stopped =
        parse(
            """
            {"read":"0001-01-01T00:00:00Z","pids_stats":{},"blkio_stats":{},
             "cpu_stats":{"cpu_usage":{"total_usage":0},"throttling_data":{}},
             "precpu_stats":{"cpu_usage":{"total_usage":0},"throttling_data":{}},
             "memory_stats":{}}
            """);

    ContainerMetrics m = StatsCalculator.metrics(stopped, "r", AT, false);

    assertThat(m.cpuPercent()).isZero();
    assertThat(m.memoryUsageBytes()).isZero();
    assertThat(m.memoryLimitBytes()).isZero();
    assertThat(m.networkRxBytes()).isZero();
    assertThat(m.pids()).isZero();
  }

  @Test
  void countsPerCpuEntriesWhenTheDaemonOmitsOnlineCpus() throws Exception {
    Statistics old =
        parse(
            """
            {"cpu_stats":{"cpu_usage":{"total_usage":300,"percpu_usage":[1,1,1,1]},
               "system_cpu_usage":1200},
             "precpu_stats":{"cpu_usage":{"total_usage":0},"system_cpu_usage":0}}
            """);

    assertThat(StatsCalculator.cpuPercent(old.getCpuStats(), old.getPreCpuStats()))
        .isCloseTo(100.0, within(1e-9));
  }
}
