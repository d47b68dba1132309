package dev.syntra.runtime.docker.internal.rollout;

import dev.syntra.protocol.runtime.DeployPhase;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.RuntimeErrorCode;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.runtime.docker.internal.daemon.DockerErrors;
import dev.syntra.runtime.docker.internal.state.ServiceState;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services the adapter holds, and the one place that serialises operations per service: {@link
 * #withService} runs an operation under the service's lock, after recovering it from container
 * labels on first use. Thread-safe; {@link #close()} is idempotent, waits up to 10 s in total for
 * running operations and closes every proxy; no proxy opens after it.
 */
public final class ServiceRegistry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServiceRegistry.class);

  /** An operation on a service, run under its lock. */
  @FunctionalInterface
  public interface Operation<T> {
    T run(ManagedService ms) throws InterruptedException;
  }

  /** An operation on a service without a result, run under its lock. */
  @FunctionalInterface
  public interface Action {
    void run(ManagedService ms) throws InterruptedException;
  }

  /** How long {@link #close()} waits, in total, for running operations to end. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  private final ServiceState state;
  private final String daemon;
  private final Function<ServiceRef, ManagedService> newService;
  private final Map<ServiceRef, ManagedService> services = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param state lists the services that have containers (for {@link #recoverAll()})
   * @param daemon the daemon address, for messages
   * @param newService creates the holder of a service on first use
   */
  public ServiceRegistry(
      ServiceState state, String daemon, Function<ServiceRef, ManagedService> newService) {
    this.state = state;
    this.daemon = daemon;
    this.newService = newService;
  }

  /** The service if this adapter has touched it, for lock-free reads such as status. */
  public @Nullable ManagedService get(ServiceRef service) {
    return services.get(service);
  }

  /**
   * Runs {@code op} under the lock of {@code service}, waiting for operations already running on
   * it. Failures are mapped to {@link RuntimeAdapterException}; when the service cannot even be
   * read, {@code progress} (if given) gets {@link DeployPhase#FAILED}.
   */
  public <T> T withService(ServiceRef service, @Nullable Progress progress, Operation<T> op) {
    while (true) {
      checkOpen();
      ManagedService ms = services.computeIfAbsent(service, newService);
      try {
        ms.lock().lockInterruptibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RuntimeAdapterException(
            RuntimeErrorCode.INTERNAL, "interrupted while waiting for " + service, e);
      }
      try {
        if (ms.retired()) {
          services.remove(service, ms);
          continue;
        }
        checkOpen();
        recover(ms, progress);
        return op.run(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RuntimeAdapterException(
            RuntimeErrorCode.INTERNAL, "interrupted while operating on " + service, e);
      } catch (RuntimeAdapterException e) {
        throw e;
      } catch (RuntimeException e) {
        throw DockerErrors.map(e, "operate on " + service, daemon);
      } finally {
        ms.lock().unlock();
      }
    }
  }

  /** {@link #withService} for an operation without a result and without progress reporting. */
  public void run(ServiceRef service, Action action) {
    withService(
        service,
        null,
        ms -> {
          action.run(ms);
          return null;
        });
  }

  /**
   * Re-opens the published ports of every service that has containers and is in {@code ownedHere}
   * (the services this agent deployed, from its history); logs when it cannot. Containers of other
   * services on the daemon, e.g. of another organization's agent, are never adopted.
   */
  public void recoverAll(Set<ServiceRef> ownedHere) {
    try {
      for (ServiceRef s : state.services()) {
        if (ownedHere.contains(s)) {
          withService(s, null, ms -> null);
        }
      }
    } catch (RuntimeAdapterException e) {
      log.warn("Cannot recover running services yet ({}); will retry per service", e.getMessage());
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    for (ManagedService ms : services.values()) {
      // Traffic is not thread-safe: wait (bounded) for a running operation to end first.
      boolean locked = false;
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        locked = ms.lock().tryLock(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (!locked) {
        log.warn("{}: an operation still runs; closing its proxies anyway", ms.service());
      }
      try {
        ms.close();
      } catch (RuntimeException e) {
        log.warn("{}: closing its proxies failed: {}", ms.service(), e.toString());
      } finally {
        if (locked) {
          ms.lock().unlock();
        }
      }
    }
    services.clear();
  }

  private static void recover(ManagedService ms, @Nullable Progress progress) {
    try {
      ms.recoverIfNeeded();
    } catch (RuntimeAdapterException e) {
      if (progress != null) {
        progress.report(DeployPhase.FAILED, e.getMessage());
      }
      throw e;
    }
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new RuntimeAdapterException(RuntimeErrorCode.INTERNAL, "the Docker adapter is closed");
    }
  }
}
