package dev.syntra.runtime.docker.internal.logs;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import dev.syntra.protocol.runtime.LogLine;
import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The docker-java callback of one container's log stream: demultiplexes frames into one {@link
 * LogLineAssembler} per output stream and passes complete lines to the {@link LogDelivery}.
 *
 * <p>docker-java calls {@code onNext}/{@code onError}/{@code onComplete} on its own stream thread
 * (and may call both {@code onError} and {@code onComplete}); {@link #close()} may come from any
 * thread. The stream ends exactly once.
 */
final class LogStreamCallback implements ResultCallback<Frame> {
  private final String replicaId;
  private final LogDelivery delivery;
  private final LogLineAssembler stdout;
  private final LogLineAssembler stderr;
  private final Consumer<LogLine> toDelivery;
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile boolean closed;
  private volatile @Nullable Closeable stream;

  LogStreamCallback(String replicaId, boolean tty, LogDelivery delivery, Clock clock) {
    this.replicaId = replicaId;
    this.delivery = delivery;
    LogLineAssembler.Mode mode =
        tty ? LogLineAssembler.Mode.RAW : LogLineAssembler.Mode.MULTIPLEXED;
    this.stdout = new LogLineAssembler(replicaId, LogLine.Stream.STDOUT, mode, clock::instant);
    this.stderr = new LogLineAssembler(replicaId, LogLine.Stream.STDERR, mode, clock::instant);
    this.toDelivery =
        line -> {
          if (!delivery.offer(line)) {
            close();
          }
        };
  }

  @Override
  public void onStart(Closeable stream) {
    this.stream = stream;
    if (closed) {
      closeQuietly(stream);
    }
  }

  @Override
  public void onNext(Frame frame) {
    if (closed) {
      return;
    }
    byte[] payload = frame.getPayload();
    if (payload == null) {
      return;
    }
    // docker-java reuses the payload array of full chunks: consume it before returning.
    switch (frame.getStreamType()) {
      case STDOUT, RAW -> stdout.accept(payload, 0, payload.length, toDelivery);
      case STDERR -> stderr.accept(payload, 0, payload.length, toDelivery);
      default -> {
        // STDIN frames never carry log output.
      }
    }
  }

  @Override
  public void onError(Throwable throwable) {
    end(throwable);
  }

  @Override
  public void onComplete() {
    end(null);
  }

  private void end(@Nullable Throwable failure) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    try {
      if (!closed) {
        stdout.finish(toDelivery);
        stderr.finish(toDelivery);
      }
    } finally {
      Closeable s = stream;
      if (s != null) {
        closeQuietly(s);
      }
      delivery.streamEnded(replicaId, closed ? null : failure);
    }
  }

  /** Stops reading: closes the daemon response; the stream thread then ends. Idempotent. */
  @Override
  public void close() {
    closed = true;
    Closeable s = stream;
    if (s != null) {
      closeQuietly(s);
    }
  }

  private static void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException | RuntimeException e) {
      // The connection is being discarded; nothing to recover.
    }
  }

  @Override
  public String toString() {
    return "LogStreamCallback[" + replicaId + ", ended=" + ended.get() + "]";
  }
}
