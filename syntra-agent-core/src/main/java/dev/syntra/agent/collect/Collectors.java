package dev.syntra.agent.collect;

import dev.syntra.agent.metrics.ProcFs;
import dev.syntra.telemetry.TelemetryChunk;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops the agent's collectors: container logs, Prometheus scrapes, host metrics,
 * container metrics and health. Build with {@link #builder()}, then {@link #start()}.
 *
 * <p>Threads: one scheduler thread {@code syntra-collect} runs every collector's rounds (logs every
 * {@code 250 ms}, metrics every {@code metricsInterval}, scrape scheduling every second) and one
 * thread {@code syntra-scrape} runs the scrapes one after another (plus the JDK HTTP client's
 * selector thread). Container logs additionally use the runtime adapter's reader threads: with
 * Docker one delivery thread per followed service and one stream thread per replica, the minimum
 * its log API allows. {@link #close()} stops all, sends queued log records, saves log positions;
 * idempotent, waits at most a few seconds.
 */
public final class Collectors implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Collectors.class);
  private static final long LOG_TICK_MILLIS = 250;

  private final CollectorsBuilder config;
  private final @Nullable ContainerLogCollector logs;
  private final @Nullable PrometheusScraper scraper;
  private final @Nullable HostMetricsCollector host;
  private final @Nullable ContainerMetricsCollector containers;
  private final IntakeGate hostGate;
  private final IntakeGate containerGate;
  private final IntakeGate healthGate;
  private final HealthMetrics health;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService scrapeThread;
  private boolean started;
  private boolean closed;

  Collectors(CollectorsBuilder config) {
    this.config = config;
    this.health = config.health;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("syntra-collect"));
    this.scrapeThread = Executors.newSingleThreadExecutor(daemon("syntra-scrape"));
    this.hostGate = new IntakeGate("host", config.intake);
    this.containerGate = new IntakeGate("container", config.intake);
    this.healthGate = new IntakeGate("health", config.intake);
    this.logs =
        config.runtime != null && config.containerLogs
            ? new ContainerLogCollector(
                config.runtime,
                config.services,
                config.stateDir,
                config.intake,
                config.logSettings,
                config.clock)
            : null;
    this.scraper =
        config.scrapeTargets != null
            ? new PrometheusScraper(
                config.scrapeTargets,
                config.intake,
                config.clock,
                config.maxScrapeBytes,
                config.parserLimits,
                scrapeThread)
            : null;
    this.host =
        config.hostMetrics
            ? new HostMetricsCollector(
                new ProcFs(config.procRoot), config.procRoot, config.stateDir, config.clock)
            : null;
    this.containers =
        config.runtime != null && config.containerMetrics
            ? new ContainerMetricsCollector(
                config.runtime, config.services, config.health, config.clock)
            : null;
  }

  /** A builder; {@code intake}, {@code stateDir} are required. */
  public static CollectorsBuilder builder() {
    return new CollectorsBuilder();
  }

  /** Schedules every enabled collector; once. */
  public synchronized Collectors start() {
    if (started || closed) {
      throw new IllegalStateException("collectors already started or closed");
    }
    started = true;
    if (logs != null) {
      ContainerLogCollector l = logs;
      scheduler.scheduleWithFixedDelay(
          guard("logs", l::tick), 0, LOG_TICK_MILLIS, TimeUnit.MILLISECONDS);
    }
    if (scraper != null) {
      PrometheusScraper s = scraper;
      scheduler.scheduleWithFixedDelay(guard("prometheus", s::tick), 0, 1, TimeUnit.SECONDS);
    }
    long interval = config.metricsInterval.toMillis();
    scheduler.scheduleAtFixedRate(
        guard("metrics", this::collectMetrics), interval, interval, TimeUnit.MILLISECONDS);
    return this;
  }

  /** One round of host, container and health metrics (also called by tests). */
  void collectMetrics() {
    if (host != null) {
      hostGate.send(
          TelemetryChunk.of(
              MetricsData.newBuilder().addResourceMetrics(host.collect()).build(), false));
    }
    if (containers != null) {
      MetricsData[] data = containers.collect();
      containerGate.send(TelemetryChunk.of(data[0], false));
      healthGate.send(TelemetryChunk.of(data[1], false));
    }
  }

  /** The hook a health checker reports its results to. */
  public HealthMetrics health() {
    return health;
  }

  /** Counters of every collector. */
  public List<CollectorStats> stats() {
    List<CollectorStats> stats = new ArrayList<>();
    if (logs != null) {
      stats.add(logs.stats());
    }
    if (scraper != null) {
      stats.add(scraper.stats());
    }
    stats.add(hostGate.stats());
    stats.add(containerGate.stats());
    stats.add(healthGate.stats());
    return stats;
  }

  private static Runnable guard(String name, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable t) {
        log.warn("The {} collector failed this round; it runs again next round", name, t);
      }
    };
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    scheduler.shutdown();
    scrapeThread.shutdownNow();
    try {
      if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
        scheduler.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (logs != null) {
      logs.close();
    }
    if (scraper != null) {
      scraper.close();
    }
  }

  @Override
  public String toString() {
    return "Collectors[" + config + "]";
  }
}
