package dev.syntra.protocol;

import dev.syntra.protocol.json.MessageCodec;
import dev.syntra.protocol.message.Envelope;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Encode+decode rate of the two most frequent control messages: heartbeat and deploy. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MessageCodecBenchmark {
  private final MessageCodec codec = MessageCodec.create();
  private Envelope heartbeat;
  private Envelope deploy;
  private byte[] heartbeatBytes;
  private byte[] deployBytes;

  @Setup
  public void setUp() {
    heartbeat = Samples.envelope(Samples.heartbeat());
    deploy = Samples.envelope(Samples.deploy());
    heartbeatBytes = codec.encodeToBytes(heartbeat);
    deployBytes = codec.encodeToBytes(deploy);
  }

  @Benchmark
  public Envelope heartbeatEncodeDecode() {
    return codec.decode(codec.encodeToBytes(heartbeat));
  }

  @Benchmark
  public Envelope deployEncodeDecode() {
    return codec.decode(codec.encodeToBytes(deploy));
  }

  @Benchmark
  public byte[] heartbeatEncode() {
    return codec.encodeToBytes(heartbeat);
  }

  @Benchmark
  public Envelope heartbeatDecode() {
    return codec.decode(heartbeatBytes);
  }

  @Benchmark
  public Envelope deployDecode() {
    return codec.decode(deployBytes);
  }
}
