package dev.syntra.telemetry.buffer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link BufferTimer} whose tasks run only when a test calls {@link #runAll()}. */
final class ManualTimer implements BufferTimer {
  private final List<Runnable> tasks = new CopyOnWriteArrayList<>();

  @Override
  public Cancellable repeat(Duration period, Runnable task) {
    tasks.add(task);
    return () -> tasks.remove(task);
  }

  void runAll() {
    tasks.forEach(Runnable::run);
  }

  int scheduled() {
    return tasks.size();
  }
}
