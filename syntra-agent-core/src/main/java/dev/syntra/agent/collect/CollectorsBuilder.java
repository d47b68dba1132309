package dev.syntra.agent.collect;

import dev.syntra.protocol.runtime.RuntimeAdapter;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.telemetry.pipeline.TelemetryIntake;
import dev.syntra.telemetry.prometheus.ParserLimits;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Configures {@link Collectors}. Required: {@link #intake}, {@link #stateDir}. Without a {@link
 * #runtime} there are no container logs or container metrics; without {@link #scrapeTargets} no
 * scraping. Not thread-safe.
 */
public final class CollectorsBuilder {
  @Nullable TelemetryIntake intake;
  @Nullable Path stateDir;
  @Nullable RuntimeAdapter runtime;
  Supplier<List<ServiceRef>> services = List::of;
  @Nullable Supplier<List<ScrapeTarget>> scrapeTargets;
  Path procRoot = Path.of("/proc");
  Duration metricsInterval = Duration.ofSeconds(10);
  boolean containerLogs = true;
  boolean hostMetrics = true;
  boolean containerMetrics = true;
  LogSettings logSettings = LogSettings.DEFAULT;
  long maxScrapeBytes = 10L * 1024 * 1024;
  ParserLimits parserLimits = ParserLimits.DEFAULT;
  Clock clock = Clock.systemUTC();
  HealthMetrics health = new HealthMetrics();

  CollectorsBuilder() {}

  /** Where every collector sends its chunks: the first stage of the pipeline. */
  public CollectorsBuilder intake(TelemetryIntake intake) {
    this.intake = Objects.requireNonNull(intake, "intake");
    return this;
  }

  /** The agent's state directory: log positions live here; its file system is reported. */
  public CollectorsBuilder stateDir(Path stateDir) {
    this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
    return this;
  }

  /** The runtime whose services' logs and metrics are collected. */
  public CollectorsBuilder runtime(RuntimeAdapter runtime) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    return this;
  }

  /** The services to collect from, asked every round (e.g. {@code managedServices::list}). */
  public CollectorsBuilder services(Supplier<List<ServiceRef>> services) {
    this.services = Objects.requireNonNull(services, "services");
    return this;
  }

  /** The Prometheus endpoints to scrape, asked every second. */
  public CollectorsBuilder scrapeTargets(Supplier<List<ScrapeTarget>> scrapeTargets) {
    this.scrapeTargets = Objects.requireNonNull(scrapeTargets, "scrapeTargets");
    return this;
  }

  /** Host, container and health metrics interval; default 10 s, at least 1 s. */
  public CollectorsBuilder metricsInterval(Duration interval) {
    if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("metricsInterval: at least 1 s, was " + interval);
    }
    this.metricsInterval = interval;
    return this;
  }

  public CollectorsBuilder containerLogs(boolean enabled) {
    this.containerLogs = enabled;
    return this;
  }

  public CollectorsBuilder hostMetrics(boolean enabled) {
    this.hostMetrics = enabled;
    return this;
  }

  public CollectorsBuilder containerMetrics(boolean enabled) {
    this.containerMetrics = enabled;
    return this;
  }

  public CollectorsBuilder logSettings(LogSettings settings) {
    this.logSettings = Objects.requireNonNull(settings, "settings");
    return this;
  }

  /** Largest scrape response; default 10 MiB. */
  public CollectorsBuilder maxScrapeBytes(long maxBytes) {
    if (maxBytes < 1024) {
      throw new IllegalArgumentException("maxScrapeBytes: at least 1024, was " + maxBytes);
    }
    this.maxScrapeBytes = maxBytes;
    return this;
  }

  public CollectorsBuilder parserLimits(ParserLimits limits) {
    this.parserLimits = Objects.requireNonNull(limits, "limits");
    return this;
  }

  /** The {@code /proc} to read; tests pass fixture directories. */
  public CollectorsBuilder procRoot(Path procRoot) {
    this.procRoot = Objects.requireNonNull(procRoot, "procRoot");
    return this;
  }

  public CollectorsBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** Builds (not started); fails naming a missing required setting. */
  public Collectors build() {
    if (intake == null) {
      throw new IllegalStateException("collectors: intake is required");
    }
    if (stateDir == null) {
      throw new IllegalStateException("collectors: stateDir is required");
    }
    return new Collectors(this);
  }

  @Override
  public String toString() {
    return "stateDir="
        + stateDir
        + ", runtime="
        + (runtime == null ? "none" : runtime.runtimeName())
        + ", logs="
        + containerLogs
        + ", host="
        + hostMetrics
        + ", containers="
        + containerMetrics
        + ", scraping="
        + (scrapeTargets != null)
        + ", metricsInterval="
        + metricsInterval
        + ", "
        + logSettings;
  }
}
