package dev.syntra.runtime.k8s.internal;

import dev.syntra.protocol.runtime.LogLine;
import dev.syntra.protocol.runtime.LogOptions;
import dev.syntra.protocol.runtime.LogSubscription;
import dev.syntra.protocol.runtime.ServiceRef;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.dsl.PrettyLoggable;
import io.fabric8.kubernetes.client.dsl.TailPrettyLoggable;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads pod logs through the API server ({@code GET …/pods/{pod}/log} with timestamps), one named
 * virtual thread per pod, in order per pod. The kubelet merges stdout and stderr into one stream,
 * so every line is reported as {@code STDOUT}; a read of stderr alone returns nothing.
 */
public final class LogReader {
  /** Longer lines are split into pieces of at most this many characters. */
  static final int MAX_LINE_CHARS = 16 * 1024;

  private static final Logger log = LoggerFactory.getLogger(LogReader.class);

  private final Cluster cluster;
  private final Clock clock;

  public LogReader(Cluster cluster, Clock clock) {
    this.cluster = cluster;
    this.clock = clock;
  }

  public LogSubscription read(
      ServiceRef service, List<Pod> pods, LogOptions options, Consumer<LogLine> sink) {
    Subscription sub = new Subscription(options.stdout() ? pods.size() : 0);
    if (!options.stdout()) {
      return sub;
    }
    for (Pod pod : pods) {
      String name = pod.getMetadata().getName();
      Thread.ofVirtual()
          .name("syntra-k8s-logs-" + name)
          .start(() -> {
            try {
              readPod(service, name, options, sink, sub);
            } catch (Throwable t) {
              if (t instanceof VirtualMachineError fatal) {
                throw fatal;
              }
              if (!sub.closed) {
                log.warn("{}: reading the log of pod {} failed: {}", service, name, t.toString());
              }
            } finally {
              sub.done.countDown();
            }
          });
    }
    return sub;
  }

  private void readPod(
      ServiceRef service, String pod, LogOptions options, Consumer<LogLine> sink, Subscription sub)
      throws IOException {
    var base =
        cluster
            .client()
            .pods()
            .inNamespace(Names.namespace(service))
            .withName(pod)
            .inContainer(service.service())
            .usingTimestamps();
    TailPrettyLoggable sinceApplied =
        options.since() == null ? base : base.sinceTime(options.since().toString());
    PrettyLoggable loggable =
        options.tail() == null ? sinceApplied : sinceApplied.tailingLines(options.tail());
    InputStream in;
    if (options.follow()) {
      LogWatch watch = loggable.watchLog();
      sub.resources.add(watch);
      in = watch.getOutput();
    } else {
      in = loggable.getLogInputStream();
    }
    sub.resources.add(in);
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String raw;
      while (!sub.closed && (raw = reader.readLine()) != null) {
        deliver(pod, raw, options, sink);
      }
    }
  }

  private void deliver(String pod, String raw, LogOptions options, Consumer<LogLine> sink) {
    Instant at;
    String message;
    int space = raw.indexOf(' ');
    try {
      at = Instant.parse(space < 0 ? raw : raw.substring(0, space));
      message = space < 0 ? "" : raw.substring(space + 1);
    } catch (DateTimeParseException e) {
      at = clock.instant();
      message = raw;
    }
    if (options.since() != null && at.isBefore(options.since())) {
      return;
    }
    if (message.endsWith("\r")) {
      message = message.substring(0, message.length() - 1);
    }
    int i = 0;
    do {
      int end = Math.min(message.length(), i + MAX_LINE_CHARS);
      if (end < message.length() && Character.isHighSurrogate(message.charAt(end - 1))) {
        end--;
      }
      LogLine line = new LogLine(at, LogLine.Stream.STDOUT, pod, message.substring(i, end));
      try {
        sink.accept(line);
      } catch (RuntimeException e) {
        log.warn("log sink failed for pod {}; line dropped", pod, e);
      }
      i = end;
    } while (i < message.length());
  }

  private static final class Subscription implements LogSubscription {
    final CountDownLatch done;
    final ConcurrentLinkedQueue<Closeable> resources = new ConcurrentLinkedQueue<>();
    volatile boolean closed;

    Subscription(int readers) {
      done = new CountDownLatch(readers);
    }

    @Override
    public boolean awaitCompletion(Duration timeout) throws InterruptedException {
      return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
      closed = true;
      Closeable c;
      while ((c = resources.poll()) != null) {
        try {
          c.close();
        } catch (IOException | RuntimeException e) {
          log.debug("closing a log stream failed: {}", e.toString());
        }
      }
    }
  }
}
