package dev.syntra.telemetry.buffer;

import dev.syntra.protocol.frame.FrameHeader;
import dev.syntra.protocol.frame.FrameLimits;
import dev.syntra.protocol.frame.TelemetryFrameCodec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a {@link TelemetryBuffer}; every one has a default. {@link #build()} checks them
 * together and, with a spool directory, opens and replays the spool.
 */
public final class TelemetryBufferBuilder {
  /** Worst-case zstd expansion plus the batch's own field tags, on top of the header. */
  private static final int FRAME_SLACK = 128;

  long maxBytes = 50L << 20;
  Duration batchMaxDelay = Duration.ofSeconds(5);
  int batchMaxItems = 1000;
  long batchMaxBytes = 1L << 20;
  TelemetryFrameCodec codec = TelemetryFrameCodec.create();
  int maxFrameBytes = FrameLimits.DEFAULTS.maxFrameBytes();
  @Nullable Path spoolDirectory;
  long spoolSegmentBytes = 16L << 20;
  FsyncPolicy fsync = FsyncPolicy.defaults();
  Clock clock = Clock.systemUTC();
  @Nullable BufferTimer timer;
  double highWatermark = 0.9;
  Duration retryAfter = Duration.ofSeconds(1);
  long alertThresholdItems = 1000;
  Duration alertWindow = Duration.ofMinutes(1);
  Duration alertQuietPeriod = Duration.ofMinutes(5);
  Consumer<DropAlert> alertListener = alert -> {};
  Duration closeTimeout = Duration.ofSeconds(5);

  TelemetryBufferBuilder() {}

  /**
   * Bound on buffered telemetry: open batches (protobuf bytes) plus sealed frames (encoded bytes;
   * with a spool, the larger of encoded and protobuf bytes, which also bounds the live data on
   * disk). Default 50 MiB.
   */
  public TelemetryBufferBuilder maxBytes(long maxBytes) {
    this.maxBytes = positive("maxBytes", maxBytes);
    return this;
  }

  /** A batch is sealed this long after its first chunk at the latest. Default 5 s. */
  public TelemetryBufferBuilder batchMaxDelay(Duration delay) {
    this.batchMaxDelay = positive("batchMaxDelay", delay);
    return this;
  }

  /** A batch is sealed once it holds this many items (spans, log records, points). Default 1000. */
  public TelemetryBufferBuilder batchMaxItems(int items) {
    this.batchMaxItems = (int) positive("batchMaxItems", items);
    return this;
  }

  /**
   * A batch never grows past this many protobuf bytes (a chunk that would overflow it starts the
   * next one); a single larger chunk travels alone. Default 1 MiB.
   */
  public TelemetryBufferBuilder batchMaxBytes(long bytes) {
    this.batchMaxBytes = positive("batchMaxBytes", bytes);
    return this;
  }

  /**
   * The codec sealing frames and the largest frame the server accepts ({@code max_frame_bytes},
   * default 4 MiB); no sealed frame exceeds it.
   */
  public TelemetryBufferBuilder codec(TelemetryFrameCodec codec, int maxFrameBytes) {
    this.codec = Objects.requireNonNull(codec, "codec");
    this.maxFrameBytes = (int) positive("maxFrameBytes", maxFrameBytes);
    return this;
  }

  /** Turns the write-ahead disk spool on, in {@code directory} (created 0700 when missing). */
  public TelemetryBufferBuilder spool(Path directory) {
    this.spoolDirectory = Objects.requireNonNull(directory, "directory");
    return this;
  }

  /** Size at which a spool segment file is closed and the next begun. Default 16 MiB. */
  public TelemetryBufferBuilder spoolSegmentBytes(long bytes) {
    this.spoolSegmentBytes = positive("spoolSegmentBytes", bytes);
    return this;
  }

  /** When spool writes are forced to disk. Default {@link FsyncPolicy#defaults()} (every 1 s). */
  public TelemetryBufferBuilder fsync(FsyncPolicy policy) {
    this.fsync = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /** Time source for batch ages and the drop alert window. Default: the UTC system clock. */
  public TelemetryBufferBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Runs the periodic work. Default: a daemon thread {@code syntra-telemetry-buffer} that the
   * buffer owns and stops on close.
   */
  public TelemetryBufferBuilder timer(BufferTimer timer) {
    this.timer = Objects.requireNonNull(timer, "timer");
    return this;
  }

  /**
   * Fill level (0-1] above which chunks without priority are refused, so priority data (errors)
   * always finds room. Default 0.9.
   */
  public TelemetryBufferBuilder highWatermark(double fraction) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("highWatermark: must be in (0, 1], e.g. 0.9");
    }
    this.highWatermark = fraction;
    return this;
  }

  /** What a refusal tells the client to wait before retrying. Default 1 s. */
  public TelemetryBufferBuilder retryAfter(Duration retryAfter) {
    this.retryAfter = positive("retryAfter", retryAfter);
    return this;
  }

  /**
   * Calls {@code listener} once when at least {@code thresholdItems} items are dropped or refused
   * within {@code window}, then again only after {@code quietPeriod} without drops. The listener
   * runs on the thread that dropped (an intake or the timer) and must be quick. Defaults: 1000
   * items, 1 min, 5 min, no listener.
   */
  public TelemetryBufferBuilder dropAlert(
      long thresholdItems, Duration window, Duration quietPeriod, Consumer<DropAlert> listener) {
    this.alertThresholdItems = positive("alert threshold", thresholdItems);
    this.alertWindow = positive("alert window", window);
    this.alertQuietPeriod = positive("alert quiet period", quietPeriod);
    this.alertListener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /** How long {@link TelemetryBuffer#close()} waits for its timer thread. Default 5 s. */
  public TelemetryBufferBuilder closeTimeout(Duration timeout) {
    this.closeTimeout = positive("closeTimeout", timeout);
    return this;
  }

  /**
   * Checks the settings and builds the buffer; with a spool, opens it and replays what it holds.
   *
   * @throws IllegalArgumentException when the settings contradict each other
   * @throws java.io.UncheckedIOException when the spool directory cannot be used
   */
  public TelemetryBuffer build() {
    if (batchMaxBytes > maxChunkBytes()) {
      throw new IllegalArgumentException(
          "batchMaxBytes ("
              + batchMaxBytes
              + ") must leave room for the frame header and compression overhead within"
              + " maxFrameBytes ("
              + maxFrameBytes
              + "): at most "
              + maxChunkBytes());
    }
    if (maxBytes < 2 * batchMaxBytes) {
      throw new IllegalArgumentException(
          "maxBytes ("
              + maxBytes
              + ") must be at least twice batchMaxBytes ("
              + batchMaxBytes
              + ")");
    }
    return new TelemetryBuffer(this);
  }

  /** The largest protobuf payload that certainly fits a frame of {@code maxFrameBytes}. */
  long maxChunkBytes() {
    // zstd's bound is n + n/256 + a small constant.
    return (maxFrameBytes - FrameHeader.LENGTH - FRAME_SLACK) * 256L / 257;
  }

  private static long positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + ": must be positive, got " + value);
    }
    return value;
  }

  private static Duration positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + ": must be positive, got " + value);
    }
    return value;
  }

  @Override
  public String toString() {
    return "TelemetryBufferBuilder[maxBytes="
        + maxBytes
        + ", batch="
        + batchMaxDelay
        + "/"
        + batchMaxItems
        + " items/"
        + batchMaxBytes
        + " bytes, maxFrameBytes="
        + maxFrameBytes
        + ", spool="
        + spoolDirectory
        + ", fsync="
        + fsync
        + "]";
  }
}
