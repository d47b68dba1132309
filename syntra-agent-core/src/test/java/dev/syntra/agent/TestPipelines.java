package dev.syntra.agent;

import dev.syntra.agent.pipeline.PipelineConfig;
import dev.syntra.telemetry.buffer.FsyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Pipeline settings for agent tests: no collectors, no fixed ports, every trace kept. */
final class TestPipelines {
  private TestPipelines() {}

  /** An OTLP/HTTP receiver on {@code httpPort} (0: none), no gRPC, spooled under the state dir. */
  static PipelineConfig httpOnly(Path stateDir, int httpPort) {
    return new PipelineConfig(
        true,
        List.of("127.0.0.1"),
        0,
        httpPort,
        PipelineConfig.DEFAULT_BUFFER_BYTES,
        stateDir.resolve("spool"),
        FsyncPolicy.never(),
        1.0,
        false,
        false,
        false,
        Duration.ofSeconds(10));
  }
}
