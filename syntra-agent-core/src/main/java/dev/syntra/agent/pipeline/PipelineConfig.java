package dev.syntra.agent.pipeline;

import dev.syntra.telemetry.buffer.FsyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Settings of the agent's telemetry pipeline.
 *
 * @param enabled whether the agent receives, collects and ships telemetry at all
 * @param bindAddresses where the OTLP receivers listen; {@code 127.0.0.1} by default (add the
 *     Docker bridge gateway so containers can reach them)
 * @param grpcPort OTLP/gRPC port (4317); 0 turns the gRPC receiver off
 * @param httpPort OTLP/HTTP port (4318); 0 turns the HTTP receiver off
 * @param bufferMaxBytes bound of the telemetry buffer (50 MiB; at least 2 MiB, twice the buffer's 1
 *     MiB batch)
 * @param spoolDir the disk spool, or null to buffer in memory only
 * @param fsync when the spool forces writes to disk (every second)
 * @param traceRatio share of error-free traces kept when the control plane sets none for a service;
 *     null: the {@code trace_sample_ratio} of the control plane's session settings
 * @param collectContainerLogs follow the stdout/stderr of deployed services
 * @param collectHostMetrics host metrics from /proc
 * @param collectContainerMetrics container metrics from the runtime
 * @param metricsInterval how often host and container metrics are collected (10 s)
 */
public record PipelineConfig(
    boolean enabled,
    List<String> bindAddresses,
    int grpcPort,
    int httpPort,
    long bufferMaxBytes,
    @Nullable Path spoolDir,
    FsyncPolicy fsync,
    @Nullable Double traceRatio,
    boolean collectContainerLogs,
    boolean collectHostMetrics,
    boolean collectContainerMetrics,
    Duration metricsInterval) {

  public static final long DEFAULT_BUFFER_BYTES = 50L << 20;

  /** The buffer holds at least two of its 1 MiB batches. */
  public static final long MIN_BUFFER_BYTES = 2L << 20;

  public PipelineConfig {
    bindAddresses = List.copyOf(bindAddresses);
    Objects.requireNonNull(fsync, "fsync");
    Objects.requireNonNull(metricsInterval, "metricsInterval");
    if (bindAddresses.isEmpty()) {
      throw new IllegalArgumentException("otlp_bind: name at least one address, e.g. 127.0.0.1");
    }
    checkPort(grpcPort, "otlp_grpc_port");
    checkPort(httpPort, "otlp_http_port");
    if (bufferMaxBytes < MIN_BUFFER_BYTES) {
      throw new IllegalArgumentException("telemetry_buffer_mb: must be at least 2");
    }
    if (traceRatio != null && !(traceRatio >= 0 && traceRatio <= 1)) {
      throw new IllegalArgumentException("trace_ratio: must be between 0 and 1, was " + traceRatio);
    }
    if (metricsInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("metrics_interval: must be at least 1s");
    }
  }

  /** Receivers on 127.0.0.1:4317/4318, 50 MiB buffer spooled to {@code stateDir/spool}. */
  public static PipelineConfig defaults(Path stateDir) {
    return new PipelineConfig(
        true,
        List.of("127.0.0.1"),
        4317,
        4318,
        DEFAULT_BUFFER_BYTES,
        stateDir.resolve("spool"),
        FsyncPolicy.defaults(),
        null,
        true,
        true,
        true,
        Duration.ofSeconds(10));
  }

  /** The pipeline turned off (no receivers, collectors or shipping). */
  public static PipelineConfig disabled(Path stateDir) {
    PipelineConfig d = defaults(stateDir);
    return new PipelineConfig(
        false,
        d.bindAddresses,
        0,
        0,
        d.bufferMaxBytes,
        null,
        d.fsync,
        null,
        false,
        false,
        false,
        d.metricsInterval);
  }

  private static void checkPort(int port, String name) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + ": must be 0-65535 (0 turns it off), was " + port);
    }
  }
}
