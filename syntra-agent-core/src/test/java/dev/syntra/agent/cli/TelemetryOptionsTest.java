package dev.syntra.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syntra.agent.pipeline.PipelineConfig;
import dev.syntra.protocol.frame.FrameLimits;
import dev.syntra.protocol.frame.TelemetryFrameCodec;
import dev.syntra.telemetry.buffer.FsyncPolicy;
import dev.syntra.telemetry.buffer.TelemetryBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad telemetry settings stop the start with a message naming the key, not a stack trace. */
class TelemetryOptionsTest {
  private static final Path STATE = Path.of("/var/lib/syntra-agent");

  private static PipelineConfig read(String line) {
    return TelemetryOptions.read(ConfigFile.parse(List.of(line), "agent.conf"), Map.of(), STATE);
  }

  @Test
  void aBufferTooSmallForTwoBatchesIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> read("telemetry_buffer_mb=1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("telemetry_buffer_mb");

    PipelineConfig smallest = read("telemetry_buffer_mb=2");
    // The pipeline's buffer (default batch size) accepts the smallest setting.
    TelemetryBuffer.builder()
        .maxBytes(smallest.bufferMaxBytes())
        .codec(TelemetryFrameCodec.create(), FrameLimits.DEFAULTS.maxFrameBytes())
        .build()
        .close();
  }

  @Test
  void fsyncTakesAlwaysNeverOrAPositivePeriod() {
    assertThat(read("telemetry_fsync=ALWAYS").fsync()).isEqualTo(FsyncPolicy.always());
    assertThat(read("telemetry_fsync=never").fsync()).isEqualTo(FsyncPolicy.never());
    assertThat(read("telemetry_fsync=250ms").fsync())
        .isEqualTo(FsyncPolicy.interval(Duration.ofMillis(250)));
    for (String bad : List.of("0s", "junk", "-1s")) {
      assertThatThrownBy(() -> read("telemetry_fsync=" + bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("telemetry_fsync")
          .hasMessageContaining("always, never");
    }
  }

  @Test
  void theEnvironmentWinsOverTheFile() {
    PipelineConfig config =
        TelemetryOptions.read(
            ConfigFile.parse(List.of("otlp_http_port=4000"), "agent.conf"),
            Map.of("SYNTRA_OTLP_HTTP_PORT", "5000"),
            STATE);
    assertThat(config.httpPort()).isEqualTo(5000);
  }
}
