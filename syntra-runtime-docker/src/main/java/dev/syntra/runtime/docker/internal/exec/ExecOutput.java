package dev.syntra.runtime.docker.internal.exec;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Captures the output of one exec: stdout and stderr kept apart, each bounded to {@code
 * maxBytesPerStream} (the rest is counted and dropped). Used as the docker-java callback of {@code
 * exec start}, whose frames arrive on docker-java's stream thread; read the results after {@link
 * #await} returned true or after {@link #close()}.
 */
final class ExecOutput implements ResultCallback<Frame> {
  private final Bounded stdout;
  private final Bounded stderr;
  private final CountDownLatch completed = new CountDownLatch(1);
  private volatile @Nullable Closeable stream;
  private volatile @Nullable Throwable failure;
  private volatile boolean closed;

  ExecOutput(int maxBytesPerStream) {
    this.stdout = new Bounded(maxBytesPerStream);
    this.stderr = new Bounded(maxBytesPerStream);
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
    byte[] payload = frame.getPayload();
    if (payload == null || closed) {
      return;
    }
    switch (frame.getStreamType()) {
      case STDOUT, RAW -> stdout.write(payload);
      case STDERR -> stderr.write(payload);
      default -> {
        // No stdin is attached.
      }
    }
  }

  @Override
  public void onError(Throwable throwable) {
    if (!closed && failure == null) {
      failure = throwable;
    }
    completed.countDown();
  }

  @Override
  public void onComplete() {
    completed.countDown();
  }

  /** Waits until the exec's output ended; false if {@code timeout} passed first. */
  boolean await(Duration timeout) throws InterruptedException {
    return completed.await(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
  }

  /** The failure reported by the stream, or null when it ended normally. */
  @Nullable Throwable failure() {
    return failure;
  }

  String stdout() {
    return stdout.text();
  }

  String stderr() {
    return stderr.text();
  }

  /** Whether either stream produced more than the bound. */
  boolean truncated() {
    return stdout.dropped() > 0 || stderr.dropped() > 0;
  }

  /** Stops reading and releases the daemon connection; idempotent. */
  @Override
  public void close() {
    closed = true;
    Closeable s = stream;
    if (s != null) {
      closeQuietly(s);
    }
    completed.countDown();
  }

  private static void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException | RuntimeException e) {
      // The exec connection is being discarded.
    }
  }

  /** A byte buffer that keeps the first {@code max} bytes and counts the rest. */
  static final class Bounded {
    private final int max;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private long dropped;

    Bounded(int max) {
      this.max = max;
    }

    synchronized void write(byte[] data) {
      int room = max - bytes.size();
      int kept = Math.max(0, Math.min(room, data.length));
      bytes.write(data, 0, kept);
      dropped += data.length - kept;
    }

    synchronized String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }

    synchronized long dropped() {
      return dropped;
    }
  }
}
