package dev.syntra.telemetry.enrich;

import dev.syntra.telemetry.TelemetryChunk;
import dev.syntra.telemetry.pipeline.IntakeResult;
import dev.syntra.telemetry.pipeline.TelemetryIntake;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds {@code syntra.service.id}, {@code syntra.server.id}, {@code syntra.deployment.id} and {@code
 * deployment.environment} (and {@code service.name} when absent) to every resource of a chunk, from
 * the agent's {@link ServiceDirectory}, then passes the chunk on.
 *
 * <p>Rules: an attribute the app set is never overwritten, except {@code syntra.server.id}, which
 * is always the agent's own (an app must not claim another server). The directory is asked by
 * {@code syntra.service.id}, else {@code container.id}, else {@code service.name}. Results are
 * cached per distinct resource (bounded, with a TTL; {@link #invalidateCache()} after the agent's
 * deployments change). A chunk whose resources need nothing is passed on as the same object.
 *
 * <p>Thread-safe; never throws (if enrichment fails, the chunk passes on unenriched).
 */
public final class ResourceEnricher implements TelemetryIntake {
  public static final String SERVICE_ID = ResourceAttributes.SERVICE_ID;
  public static final String SERVER_ID = ResourceAttributes.SERVER_ID;
  public static final String DEPLOYMENT_ID = ResourceAttributes.DEPLOYMENT_ID;
  public static final String ENVIRONMENT = ResourceAttributes.ENVIRONMENT;

  private static final Logger LOG = LoggerFactory.getLogger(ResourceEnricher.class);

  private final TelemetryIntake next;
  private final EnrichmentCache cache;
  private final Clock clock;
  private final Supplier<String> serverId;

  ResourceEnricher(ResourceEnricherBuilder b) {
    this.next = b.next;
    this.serverId = b.serverId;
    this.clock = b.clock;
    this.cache =
        new EnrichmentCache(
            new ResourceAttributes(b.directory, b.serverId), b.cacheSize, b.cacheTtl.toMillis());
  }

  /** A builder; {@code serverId} is the agent's server id. */
  public static ResourceEnricherBuilder builder(
      TelemetryIntake next, ServiceDirectory directory, String serverId) {
    requireServerId(serverId);
    return new ResourceEnricherBuilder(next, directory, () -> serverId);
  }

  /**
   * A builder for an agent whose server id can change or is not known yet ({@code serverId} returns
   * null or blank until it registers: resources then get no {@code syntra.server.id}, and one an
   * app set is still removed). Cached resources pick up a change within the cache's time to live.
   */
  public static ResourceEnricherBuilder builder(
      TelemetryIntake next, ServiceDirectory directory, Supplier<String> serverId) {
    return new ResourceEnricherBuilder(next, directory, serverId);
  }

  /** An enricher with the default cache (1024 resources, 30 s). */
  public static ResourceEnricher create(
      TelemetryIntake next, ServiceDirectory directory, String serverId) {
    return builder(next, directory, serverId).build();
  }

  /** Forgets cached answers, so the directory's current knowledge applies from now on. */
  public void invalidateCache() {
    cache.clear();
  }

  @Override
  public IntakeResult accept(TelemetryChunk chunk) {
    TelemetryChunk enriched;
    try {
      enriched = enrich(chunk);
    } catch (RuntimeException e) {
      LOG.debug("Enrichment failed, passing the chunk on unenriched", e);
      enriched = chunk;
    }
    return next.accept(enriched);
  }

  private TelemetryChunk enrich(TelemetryChunk chunk) {
    long now = clock.millis();
    TracesData traces = enrichTraces(chunk.traces(), now);
    LogsData logs = enrichLogs(chunk.logs(), now);
    MetricsData metrics = enrichMetrics(chunk.metrics(), now);
    if (traces == chunk.traces() && logs == chunk.logs() && metrics == chunk.metrics()) {
      return chunk;
    }
    return new TelemetryChunk(traces, logs, metrics, chunk.priority());
  }

  private TracesData enrichTraces(TracesData data, long now) {
    TracesData.Builder out = null;
    for (int i = 0, n = data.getResourceSpansCount(); i < n; i++) {
      ResourceSpans rs = data.getResourceSpans(i);
      Resource enriched = cache.enrich(rs.getResource(), now);
      if (enriched != rs.getResource()) {
        out = out == null ? data.toBuilder() : out;
        out.setResourceSpans(i, rs.toBuilder().setResource(enriched));
      }
    }
    return out == null ? data : out.build();
  }

  private LogsData enrichLogs(LogsData data, long now) {
    LogsData.Builder out = null;
    for (int i = 0, n = data.getResourceLogsCount(); i < n; i++) {
      ResourceLogs rl = data.getResourceLogs(i);
      Resource enriched = cache.enrich(rl.getResource(), now);
      if (enriched != rl.getResource()) {
        out = out == null ? data.toBuilder() : out;
        out.setResourceLogs(i, rl.toBuilder().setResource(enriched));
      }
    }
    return out == null ? data : out.build();
  }

  private MetricsData enrichMetrics(MetricsData data, long now) {
    MetricsData.Builder out = null;
    for (int i = 0, n = data.getResourceMetricsCount(); i < n; i++) {
      ResourceMetrics rm = data.getResourceMetrics(i);
      Resource enriched = cache.enrich(rm.getResource(), now);
      if (enriched != rm.getResource()) {
        out = out == null ? data.toBuilder() : out;
        out.setResourceMetrics(i, rm.toBuilder().setResource(enriched));
      }
    }
    return out == null ? data : out.build();
  }

  @Override
  public String toString() {
    return "ResourceEnricher{serverId=" + serverId.get() + "}";
  }

  static void requireServerId(String serverId) {
    Objects.requireNonNull(serverId, "serverId");
    if (serverId.isBlank()) {
      throw new IllegalArgumentException("serverId: must not be blank");
    }
  }
}
