package dev.syntra.agent.otlp;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link OtlpGrpcReceiver}.
 *
 * @param bindAddress address to listen on; default {@code 127.0.0.1} (only local apps)
 * @param port TCP port; default 4317; 0 picks a free one
 * @param maxMessageBytes largest request after decompression; default 20 MiB
 * @param maxConnections open connections at once; more are closed on accept; default 256
 * @param maxConcurrentCallsPerConnection calls in flight per connection; default 16
 * @param maxConnectionIdle an idle connection is closed after this; default 5 min
 * @param eventLoopThreads Netty worker threads (calls run on them); default 1
 */
public record OtlpGrpcSettings(
    String bindAddress,
    int port,
    int maxMessageBytes,
    int maxConnections,
    int maxConcurrentCallsPerConnection,
    Duration maxConnectionIdle,
    int eventLoopThreads) {
  public static final int DEFAULT_PORT = 4317;
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 20 << 20;

  public OtlpGrpcSettings {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(maxConnectionIdle, "maxConnectionIdle");
    OtlpHttpSettings.check(port >= 0 && port <= 65535, "port must be 0..65535, got " + port);
    OtlpHttpSettings.check(maxMessageBytes > 0, "maxMessageBytes must be positive");
    OtlpHttpSettings.check(maxConnections > 0, "maxConnections must be positive");
    OtlpHttpSettings.check(
        maxConcurrentCallsPerConnection > 0, "maxConcurrentCallsPerConnection must be positive");
    OtlpHttpSettings.check(maxConnectionIdle.isPositive(), "maxConnectionIdle must be positive");
    OtlpHttpSettings.check(eventLoopThreads > 0, "eventLoopThreads must be positive");
  }

  /**
   * The defaults: 127.0.0.1:4317, 20 MiB, 256 connections, 16 calls per connection, 5 min idle, 1
   * thread.
   */
  public static OtlpGrpcSettings defaults() {
    return new OtlpGrpcSettings(
        "127.0.0.1", DEFAULT_PORT, DEFAULT_MAX_MESSAGE_BYTES, 256, 16, Duration.ofMinutes(5), 1);
  }

  public OtlpGrpcSettings withBind(String address, int port) {
    return new OtlpGrpcSettings(
        address,
        port,
        maxMessageBytes,
        maxConnections,
        maxConcurrentCallsPerConnection,
        maxConnectionIdle,
        eventLoopThreads);
  }
}
