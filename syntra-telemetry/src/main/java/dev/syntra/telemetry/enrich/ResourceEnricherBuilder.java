package dev.syntra.telemetry.enrich;

import dev.syntra.telemetry.pipeline.TelemetryIntake;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/** Builds a {@link ResourceEnricher}. Not thread-safe. */
public final class ResourceEnricherBuilder {
  final TelemetryIntake next;
  final ServiceDirectory directory;
  final Supplier<String> serverId;
  int cacheSize = 1024;
  Duration cacheTtl = Duration.ofSeconds(30);
  Clock clock = Clock.systemUTC();

  ResourceEnricherBuilder(
      TelemetryIntake next, ServiceDirectory directory, Supplier<String> serverId) {
    this.next = Objects.requireNonNull(next, "next");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.serverId = Objects.requireNonNull(serverId, "serverId");
  }

  /** How many distinct resources are cached at most; default 1024. */
  public ResourceEnricherBuilder cacheSize(int value) {
    if (value < 1) {
      throw new IllegalArgumentException("cacheSize: must be at least 1, got " + value);
    }
    this.cacheSize = value;
    return this;
  }

  /** How long a cached answer is used before the directory is asked again; default 30 s. */
  public ResourceEnricherBuilder cacheTtl(Duration value) {
    Objects.requireNonNull(value, "cacheTtl");
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("cacheTtl: must be positive, got " + value);
    }
    this.cacheTtl = value;
    return this;
  }

  public ResourceEnricherBuilder clock(Clock value) {
    this.clock = Objects.requireNonNull(value, "clock");
    return this;
  }

  public ResourceEnricher build() {
    return new ResourceEnricher(this);
  }
}
