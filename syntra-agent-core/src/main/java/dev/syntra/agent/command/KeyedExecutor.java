package dev.syntra.agent.command;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks on a fixed pool of named threads; tasks with the same key (a service) run one at a
 * time in submission order, tasks with different keys in parallel. At most {@code maxPending} tasks
 * wait or run at once; {@link #submit} refuses more.
 */
final class KeyedExecutor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KeyedExecutor.class);

  private final ExecutorService pool;
  private final int maxPending;
  private final Map<String, ArrayDeque<Runnable>> queues = new HashMap<>();
  private int pending;
  private boolean closing;

  KeyedExecutor(int threads, int maxPending) {
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "syntra-command-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.maxPending = maxPending;
  }

  /** Queues {@code task} behind earlier tasks of {@code key}; false when the bound is reached. */
  synchronized boolean submit(String key, Runnable task) {
    if (pending >= maxPending || closing) {
      return false;
    }
    pending++;
    ArrayDeque<Runnable> queue = queues.computeIfAbsent(key, k -> new ArrayDeque<>());
    queue.addLast(task);
    if (queue.size() == 1) {
      pool.execute(() -> drain(key));
    }
    return true;
  }

  private void drain(String key) {
    while (true) {
      Runnable task;
      synchronized (this) {
        ArrayDeque<Runnable> queue = queues.get(key);
        if (closing) {
          // Not started: the journal keeps them as received; the next start reconciles them.
          pending -= queue.size();
          queues.remove(key);
          return;
        }
        task = queue.peekFirst();
      }
      try {
        task.run();
      } catch (Throwable t) {
        if (t instanceof VirtualMachineError e) {
          throw e;
        }
        log.error("A command task failed unexpectedly", t);
      }
      synchronized (this) {
        ArrayDeque<Runnable> queue = queues.get(key);
        queue.pollFirst();
        pending--;
        if (queue.isEmpty()) {
          queues.remove(key);
          return;
        }
      }
    }
  }

  /** Tasks waiting or running. */
  synchronized int pending() {
    return pending;
  }

  /** Stops taking tasks, waits up to {@code grace} for running ones, then interrupts them. */
  void shutdown(java.time.Duration grace) {
    synchronized (this) {
      closing = true;
    }
    pool.shutdown();
    try {
      if (!pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    shutdown(java.time.Duration.ofSeconds(10));
  }
}
