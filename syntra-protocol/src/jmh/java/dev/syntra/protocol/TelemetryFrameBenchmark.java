package dev.syntra.protocol;

import dev.syntra.protocol.frame.BatchId;
import dev.syntra.protocol.frame.SampleBatches;
import dev.syntra.protocol.frame.TelemetryFrame;
import dev.syntra.protocol.frame.TelemetryFrameCodec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * zstd frame throughput on a realistic OTLP batch (an HTTP service's spans, logs and metrics). The
 * {@code otlpBytes} counter is the uncompressed OTLP protobuf processed per second: divide by 10^6
 * for MB/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TelemetryFrameBenchmark {
  /** Spans per batch; logs are the same number, metrics a fixed handful. */
  @Param({"1000"})
  public int items;

  private final TelemetryFrameCodec codec = TelemetryFrameCodec.create();
  private TelemetryFrame frame;
  private byte[] encoded;
  private long otlpBytesPerFrame;

  /** Bytes of uncompressed OTLP handled, reported by JMH as a rate. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Volume {
    public long otlpBytes;

    @Setup(Level.Iteration)
    public void reset() {
      otlpBytes = 0;
    }
  }

  @Setup
  public void setUp() {
    frame = SampleBatches.realistic(BatchId.random(), items, items, 1);
    encoded = codec.encode(frame);
    otlpBytesPerFrame = codec.readHeader(encoded).uncompressedLength();
    System.out.printf(
        "%nbatch: %d spans, %d log records, %d metric points; %d bytes OTLP, %d bytes framed (ratio %.1f)%n",
        frame.counts().spans(), frame.counts().logRecords(), frame.counts().metricPoints(),
        otlpBytesPerFrame, encoded.length, (double) otlpBytesPerFrame / encoded.length);
  }

  @Benchmark
  public byte[] encode(Volume volume) {
    volume.otlpBytes += otlpBytesPerFrame;
    return codec.encode(frame);
  }

  @Benchmark
  public TelemetryFrame decode(Volume volume) {
    volume.otlpBytes += otlpBytesPerFrame;
    return codec.decode(encoded);
  }
}
