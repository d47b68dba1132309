package dev.syntra.runtime.docker.internal.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syntra.protocol.runtime.ContainerMetrics;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.RuntimeErrorCode;
import dev.syntra.runtime.docker.DockerAvailable;
import dev.syntra.runtime.docker.ExecTestDocker;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DockerAvailable.class)
class StatsReaderIT {
  private static final long LIMIT = 64L << 20;

  private ExecTestDocker env;
  private StatsReader reader;

  @BeforeEach
  void setUp() {
    env = new ExecTestDocker();
    reader = new StatsReader(env.docker, Clock.systemUTC());
  }

  @AfterEach
  void tearDown() throws Exception {
    env.close();
  }

  @Test
  void samplesPlausibleNumbersOfARunningReplica() {
    String id = env.run(ExecTestDocker.HTTPD, List.of(), h -> h.withMemory(LIMIT));
    Instant before = Instant.now();

    ContainerMetrics m = reader.sample(id, env.name(id));

    assertThat(m.replicaId()).isEqualTo(env.name(id));
    assertThat(m.at()).isAfterOrEqualTo(before);
    assertThat(m.memoryUsageBytes()).isPositive().isLessThan(LIMIT);
    assertThat(m.memoryLimitBytes()).isEqualTo(LIMIT);
    assertThat(m.pids()).isGreaterThanOrEqualTo(1);
    assertThat(m.cpuPercent()).isGreaterThanOrEqualTo(0);
    assertThat(m.networkRxBytes()).isGreaterThanOrEqualTo(0);
    assertThat(m.blockReadBytes()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void reportsNoLimitForAnUnlimitedReplicaInsteadOfTheHostMemory() {
    String id = env.run(ExecTestDocker.HTTPD, List.of(), h -> {});

    ContainerMetrics m = reader.sample(id, env.name(id));

    assertThat(m.memoryLimitBytes()).isZero();
    assertThat(m.memoryUsageBytes()).isPositive();
  }

  @Test
  void seesTheCpuUseOfABusyReplicaAndItsProcesses() {
    String id =
        env.run(
            ExecTestDocker.HTTPD,
            List.of("sh", "-c", "sleep 300 & sleep 300 & while :; do :; done"),
            h -> {});

    ContainerMetrics m = reader.sample(id, env.name(id));

    // A busy loop uses about one core; a loaded 2-core CI machine still gives it a good share.
    assertThat(m.cpuPercent()).isGreaterThan(5).isLessThanOrEqualTo(100_000);
    assertThat(m.pids()).isGreaterThanOrEqualTo(4);
  }

  @Test
  void aContainerThatIsGoneIsReportedAsSuch() {
    assertThatThrownBy(() -> reader.sample("syn-no-such-container", "r"))
        .isInstanceOfSatisfying(
            RuntimeAdapterException.class,
            e -> assertThat(e.code()).isEqualTo(RuntimeErrorCode.SERVICE_NOT_FOUND));
  }
}
