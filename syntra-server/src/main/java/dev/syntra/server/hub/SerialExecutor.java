package dev.syntra.server.hub;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one session's tasks in submission order, one at a time, on a shared pool, so an agent's
 * reports are applied in the order it sent them without a thread per agent. Bounded: {@link
 * #submit} returns false when {@code capacity} tasks are already waiting.
 */
final class SerialExecutor {
  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

  private final Executor pool;
  private final int capacity;
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  private boolean running;

  SerialExecutor(Executor pool, int capacity) {
    this.pool = pool;
    this.capacity = capacity;
  }

  /** Queues {@code task}; false (and nothing queued) when the queue or the pool is full. */
  synchronized boolean submit(Runnable task) {
    if (tasks.size() >= capacity) {
      return false;
    }
    tasks.add(task);
    if (!running) {
      try {
        pool.execute(this::drain);
        running = true;
      } catch (RejectedExecutionException full) {
        tasks.removeLast();
        return false;
      }
    }
    return true;
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (this) {
        next = tasks.poll();
        if (next == null) {
          running = false;
          return;
        }
      }
      try {
        next.run();
      } catch (RuntimeException e) {
        log.error("agent session task failed", e);
      }
    }
  }
}
