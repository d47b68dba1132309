package dev.syntra.agent.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusFileTest {
  @TempDir Path stateDir;

  @Test
  void telemetryCountersReadBackSortedByName() throws Exception {
    Map<String, Long> counters = new HashMap<>();
    IntStream.range(0, 40).forEach(i -> counters.put("counter_" + (char) ('a' + i % 26) + i, 1L));
    StatusFile file = new StatusFile(stateDir);
    file.write(
        new AgentStatus(
            true,
            Instant.EPOCH,
            null,
            "memory",
            "0.1.0",
            1,
            0,
            0,
            0,
            0,
            0,
            0,
            Instant.EPOCH,
            counters));

    Map<String, Long> read = file.read().orElseThrow().telemetry();

    assertThat(read).isEqualTo(counters);
    assertThat(List.copyOf(read.keySet())).isSorted();
  }
}
