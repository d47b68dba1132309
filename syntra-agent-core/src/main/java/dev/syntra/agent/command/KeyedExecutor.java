package dev.syntra.agent.command;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks on two fixed pools of named threads, one per {@link Lane}, so that slow tasks
 * (deploys) cannot take every thread from quick ones (exec, logs, stop...). Tasks with the same key
 * (a service) run one at a time in submission order whatever their lane, tasks with different keys
 * in parallel; each task runs on a thread of its own lane, once the tasks before it with the same
 * key are done. At most {@code maxPending} tasks wait or run at once; {@link #submit} refuses more.
 */
final class KeyedExecutor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KeyedExecutor.class);

  /** Which pool a task runs on. */
  enum Lane {
    /** Deploys and rollbacks: may take minutes. */
    SLOW,
    /** Everything else: seconds. */
    QUICK
  }

  private record Task(Lane lane, Runnable body) {}

  private final Map<Lane, ExecutorService> pools = new EnumMap<>(Lane.class);
  private final int maxPending;
  private final Map<String, ArrayDeque<Task>> queues = new HashMap<>();
  private int pending;
  private boolean closing;
  private volatile boolean interrupting;

  /**
   * @param threads threads of each lane
   * @param maxPending tasks waiting or running at most, both lanes together
   */
  KeyedExecutor(int threads, int maxPending) {
    for (Lane lane : Lane.values()) {
      AtomicInteger n = new AtomicInteger();
      String prefix = "syntra-command-" + lane.name().toLowerCase(java.util.Locale.ROOT) + "-";
      pools.put(
          lane,
          Executors.newFixedThreadPool(
              threads,
              r -> {
                Thread t = new Thread(r, prefix + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              }));
    }
    this.maxPending = maxPending;
  }

  /**
   * Queues {@code task} on {@code lane} behind earlier tasks of {@code key}; false when the bound
   * is reached or the executor is shutting down.
   */
  synchronized boolean submit(Lane lane, String key, Runnable task) {
    if (pending >= maxPending || closing) {
      return false;
    }
    pending++;
    ArrayDeque<Task> queue = queues.computeIfAbsent(key, k -> new ArrayDeque<>());
    queue.addLast(new Task(lane, task));
    if (queue.size() == 1) {
      pools.get(lane).execute(() -> runHead(key));
    }
    return true;
  }

  /** Runs the first task of {@code key}, then hands the next one to its lane. */
  private void runHead(String key) {
    Task task;
    synchronized (this) {
      ArrayDeque<Task> queue = queues.get(key);
      if (closing) {
        // Not started: the journal keeps them as received; the next start reconciles them.
        pending -= queue.size();
        queues.remove(key);
        return;
      }
      task = queue.peekFirst();
    }
    try {
      task.body().run();
    } catch (Throwable t) {
      if (t instanceof VirtualMachineError e) {
        throw e;
      }
      log.error("A command task failed unexpectedly", t);
    }
    synchronized (this) {
      ArrayDeque<Task> queue = queues.get(key);
      queue.pollFirst();
      pending--;
      if (queue.isEmpty()) {
        queues.remove(key);
        return;
      }
      Lane next = queue.peekFirst().lane();
      try {
        pools.get(next).execute(() -> runHead(key));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // Shutting down: the rest stay "received" in the journal.
        pending -= queue.size();
        queues.remove(key);
      }
    }
  }

  /** Tasks waiting or running. */
  synchronized int pending() {
    return pending;
  }

  /** Whether {@link #shutdown} gave up waiting and is interrupting running tasks. */
  boolean interrupting() {
    return interrupting;
  }

  /** Stops taking tasks, waits up to {@code grace} for running ones, then interrupts them. */
  void shutdown(Duration grace) {
    synchronized (this) {
      closing = true;
    }
    pools.values().forEach(ExecutorService::shutdown);
    long deadline = System.nanoTime() + grace.toNanos();
    try {
      boolean done = true;
      for (ExecutorService pool : pools.values()) {
        long left = Math.max(0, deadline - System.nanoTime());
        done &= pool.awaitTermination(left, TimeUnit.NANOSECONDS);
      }
      if (!done) {
        interrupting = true;
        pools.values().forEach(ExecutorService::shutdownNow);
        for (ExecutorService pool : pools.values()) {
          pool.awaitTermination(5, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      interrupting = true;
      pools.values().forEach(ExecutorService::shutdownNow);
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    shutdown(Duration.ofSeconds(10));
  }
}
