package dev.syntra.runtime.k8s.internal;

import dev.syntra.protocol.runtime.ExecOptions;
import dev.syntra.protocol.runtime.ExecResult;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.RuntimeErrorCode;
import dev.syntra.protocol.runtime.ServiceRef;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a command in a pod over the API server's exec WebSocket (argv as given, no shell, no TTY),
 * keeping stdout and stderr apart and each to at most the configured bytes. On timeout the session
 * is closed and the result says so with exit code -1.
 */
public final class ExecRunner {
  private final Cluster cluster;
  private final Clock clock;

  public ExecRunner(Cluster cluster, Clock clock) {
    this.cluster = cluster;
    this.clock = clock;
  }

  public ExecResult exec(
      ServiceRef service, String pod, List<String> command, ExecOptions options) {
    Bounded out = new Bounded(options.maxOutputBytes());
    Bounded err = new Bounded(options.maxOutputBytes());
    Instant start = clock.instant();
    ExecWatch watch =
        cluster
            .errors()
            .call(
                "exec in pod " + pod,
                () ->
                    cluster
                        .client()
                        .pods()
                        .inNamespace(Names.namespace(service))
                        .withName(pod)
                        .inContainer(service.service())
                        .writingOutput(out)
                        .writingError(err)
                        .exec(command.toArray(String[]::new)));
    try (watch) {
      Integer code = watch.exitCode().get(options.timeout().toNanos(), TimeUnit.NANOSECONDS);
      return result(code == null ? -1 : code, out, err, false, start);
    } catch (TimeoutException e) {
      return result(-1, out, err, true, start);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeAdapterException.Timeout("interrupted while running a command in " + pod);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof KubernetesClientException k) {
        throw cluster.errors().map("exec in pod " + pod, k);
      }
      throw new RuntimeAdapterException(
          RuntimeErrorCode.INTERNAL,
          "exec in pod " + pod + " failed: " + KubernetesErrors.rootMessage(e),
          e);
    }
  }

  private ExecResult result(int code, Bounded out, Bounded err, boolean timedOut, Instant start) {
    return new ExecResult(
        code,
        out.text(),
        err.text(),
        out.truncated || err.truncated,
        timedOut,
        Duration.between(start, clock.instant()));
  }

  /** Keeps the first {@code max} bytes written and notes whether more came. Thread-safe. */
  static final class Bounded extends OutputStream {
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final int max;
    volatile boolean truncated;

    Bounded(int max) {
      this.max = max;
    }

    @Override
    public synchronized void write(int b) {
      if (kept.size() < max) {
        kept.write(b);
      } else {
        truncated = true;
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      int room = Math.max(0, max - kept.size());
      kept.write(b, off, Math.min(room, len));
      if (len > room) {
        truncated = true;
      }
    }

    synchronized String text() {
      return kept.toString(StandardCharsets.UTF_8);
    }
  }
}
