package dev.syntra.agent.otlp;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link OtlpHttpReceiver}.
 *
 * @param bindAddress address to listen on; default {@code 127.0.0.1} (only local apps)
 * @param port TCP port; default 4318; 0 picks a free one
 * @param maxBodyBytes largest request body after decompression; default 20 MiB (413 beyond)
 * @param maxCompressedBodyBytes largest gzip/zstd body as sent; default 20 MiB (413 beyond)
 * @param maxConnections open connections at once; more are closed on accept; default 256
 * @param idleTimeout a connection that sends nothing for this long, or whose request is not
 *     answered this long after its first byte, is closed; default 60 s
 * @param eventLoopThreads Netty worker threads (requests are decoded on them); default 1
 */
public record OtlpHttpSettings(
    String bindAddress,
    int port,
    int maxBodyBytes,
    int maxCompressedBodyBytes,
    int maxConnections,
    Duration idleTimeout,
    int eventLoopThreads) {
  public static final int DEFAULT_PORT = 4318;
  public static final int DEFAULT_MAX_BODY_BYTES = 20 << 20;

  public OtlpHttpSettings {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    check(port >= 0 && port <= 65535, "port must be 0..65535, got " + port);
    check(maxBodyBytes > 0, "maxBodyBytes must be positive");
    check(maxCompressedBodyBytes > 0, "maxCompressedBodyBytes must be positive");
    check(maxConnections > 0, "maxConnections must be positive");
    check(idleTimeout.toMillis() > 0, "idleTimeout must be at least 1 ms");
    check(eventLoopThreads > 0, "eventLoopThreads must be positive");
  }

  /** The defaults: 127.0.0.1:4318, 20 MiB bodies, 256 connections, 60 s idle, 1 thread. */
  public static OtlpHttpSettings defaults() {
    return new OtlpHttpSettings(
        "127.0.0.1",
        DEFAULT_PORT,
        DEFAULT_MAX_BODY_BYTES,
        DEFAULT_MAX_BODY_BYTES,
        256,
        Duration.ofSeconds(60),
        1);
  }

  public OtlpHttpSettings withBind(String address, int port) {
    return new OtlpHttpSettings(
        address,
        port,
        maxBodyBytes,
        maxCompressedBodyBytes,
        maxConnections,
        idleTimeout,
        eventLoopThreads);
  }

  public OtlpHttpSettings withLimits(int maxBodyBytes, int maxCompressedBodyBytes) {
    return new OtlpHttpSettings(
        bindAddress,
        port,
        maxBodyBytes,
        maxCompressedBodyBytes,
        maxConnections,
        idleTimeout,
        eventLoopThreads);
  }

  public OtlpHttpSettings withConnections(int maxConnections, Duration idleTimeout) {
    return new OtlpHttpSettings(
        bindAddress,
        port,
        maxBodyBytes,
        maxCompressedBodyBytes,
        maxConnections,
        idleTimeout,
        eventLoopThreads);
  }

  static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("OTLP receiver settings: " + message);
    }
  }
}
