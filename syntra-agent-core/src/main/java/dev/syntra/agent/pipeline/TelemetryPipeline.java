package dev.syntra.agent.pipeline;

import dev.syntra.agent.collect.Collectors;
import dev.syntra.agent.collect.ScrapeTarget;
import dev.syntra.agent.otlp.OtlpCounters;
import dev.syntra.agent.otlp.OtlpGrpcReceiver;
import dev.syntra.agent.otlp.OtlpGrpcSettings;
import dev.syntra.agent.otlp.OtlpHttpReceiver;
import dev.syntra.agent.otlp.OtlpHttpSettings;
import dev.syntra.agent.state.ManagedServices;
import dev.syntra.agent.telemetry.FrameShipper;
import dev.syntra.agent.telemetry.ShipperSettings;
import dev.syntra.agent.telemetry.ShipperStats;
import dev.syntra.agent.telemetrysettings.TelemetrySettingsStore;
import dev.syntra.protocol.frame.FrameLimits;
import dev.syntra.protocol.frame.TelemetryFrameCodec;
import dev.syntra.protocol.message.Alert;
import dev.syntra.protocol.message.TelemetrySettings;
import dev.syntra.protocol.runtime.RuntimeAdapter;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.telemetry.Signal;
import dev.syntra.telemetry.buffer.BufferStats;
import dev.syntra.telemetry.buffer.DropAlert;
import dev.syntra.telemetry.buffer.DropCounters;
import dev.syntra.telemetry.buffer.TelemetryBuffer;
import dev.syntra.telemetry.enrich.ResourceEnricher;
import dev.syntra.telemetry.pipeline.TelemetryIntake;
import dev.syntra.telemetry.sampling.SamplingOutcome;
import dev.syntra.telemetry.sampling.TelemetrySampler;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's telemetry pipeline: OTLP receivers and collectors → {@link ResourceEnricher} → {@link
 * TelemetrySampler} → {@link TelemetryBuffer} (batches sealed into frames, spooled to disk) →
 * {@link FrameShipper} → the control plane. Built and started by {@link #start}; {@link #close()}
 * stops the sources first, then seals and flushes the buffer, then stops the shipper. Thread-safe.
 */
public final class TelemetryPipeline implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TelemetryPipeline.class);

  private final TelemetryBuffer buffer;
  private final TelemetrySampler sampler;
  private final SamplingSettings sampling;
  private final FrameShipper shipper;
  private final ResourceEnricher enricher;
  private final OtlpCounters counters = new OtlpCounters();
  private final List<AutoCloseable> receivers = new ArrayList<>();
  private final Map<ServiceRef, TelemetrySettings.PrometheusScrape> scrapes = new LinkedHashMap<>();
  private final ServiceCatalog catalog;
  private @Nullable Collectors collectors;

  private TelemetryPipeline(
      PipelineConfig config,
      ServiceCatalog catalog,
      Supplier<String> serverId,
      Consumer<Alert> alerts) {
    this.catalog = catalog;
    var builder =
        TelemetryBuffer.builder()
            .maxBytes(config.bufferMaxBytes())
            .codec(TelemetryFrameCodec.create(), FrameLimits.DEFAULTS.maxFrameBytes())
            .fsync(config.fsync())
            .dropAlert(
                1000, Duration.ofMinutes(1), Duration.ofMinutes(5), a -> alerts.accept(alert(a)));
    if (config.spoolDir() != null) {
      builder.spool(config.spoolDir());
    }
    this.buffer = builder.build();
    this.sampler = TelemetrySampler.builder(buffer).build();
    this.sampling = new SamplingSettings(sampler, catalog, config.traceRatio());
    this.shipper = new FrameShipper(buffer, ShipperSettings.DEFAULTS);
    this.enricher = ResourceEnricher.builder(sampler, catalog, serverId).build();
  }

  /**
   * Builds the pipeline and starts its receivers and collectors.
   *
   * @param serverId the agent's server id as the control plane knows it (it can change)
   * @param alerts where drop alerts go (the agent's outbox)
   * @throws java.io.UncheckedIOException when a receiver port cannot be bound
   */
  public static TelemetryPipeline start(
      PipelineConfig config,
      java.nio.file.Path stateDir,
      RuntimeAdapter runtime,
      ManagedServices services,
      TelemetrySettingsStore settings,
      ServiceCatalog catalog,
      Supplier<String> serverId,
      Consumer<Alert> alerts) {
    TelemetryPipeline pipeline = new TelemetryPipeline(config, catalog, serverId, alerts);
    try {
      settings.subscribe(pipeline::settingsChanged);
      pipeline.startReceivers(config);
      pipeline.collectors =
          Collectors.builder()
              .intake(pipeline.enricher)
              .stateDir(stateDir)
              .runtime(runtime)
              .services(services::list)
              .scrapeTargets(pipeline::scrapeTargets)
              .metricsInterval(config.metricsInterval())
              .containerLogs(config.collectContainerLogs())
              .hostMetrics(config.collectHostMetrics())
              .containerMetrics(config.collectContainerMetrics())
              .build()
              .start();
    } catch (RuntimeException e) {
      pipeline.close();
      throw e;
    }
    return pipeline;
  }

  private void startReceivers(PipelineConfig config) {
    for (String address : config.bindAddresses()) {
      if (config.grpcPort() > 0) {
        receivers.add(
            OtlpGrpcReceiver.start(
                OtlpGrpcSettings.defaults().withBind(address, config.grpcPort()),
                enricher,
                counters));
      }
      if (config.httpPort() > 0) {
        receivers.add(
            OtlpHttpReceiver.start(
                OtlpHttpSettings.defaults().withBind(address, config.httpPort()),
                enricher,
                counters));
      }
    }
  }

  /** The first stage: what receivers and collectors hand their data to. */
  public TelemetryIntake intake() {
    return enricher;
  }

  /** The stage that sends frames; the link's session events drive it. */
  public FrameShipper shipper() {
    return shipper;
  }

  /** The control plane's default trace ratio from {@code hello_ok}. */
  public void sessionTraceRatio(double ratio) {
    sampling.sessionRatio(ratio);
  }

  /** Items lost inside the agent (buffer full, evicted, refused to a collector), for heartbeats. */
  public long dropped() {
    DropCounters drops = buffer.dropCounters();
    return drops.total();
  }

  /**
   * The pipeline's counters by name, for {@code status.json}: items received per signal and
   * transport ({@code traces_http_accepted}, {@code …_refused}, {@code …_rejected}), sampling
   * outcomes ({@code traces_sampled_out}, {@code traces_rate_limited}, …), buffer drops ({@code
   * traces_dropped_buffer_full}, …), buffer use and the shipper's frames.
   */
  public Map<String, Long> counters() {
    Map<String, Long> out = new java.util.TreeMap<>();
    OtlpCounters.Snapshot received = counters.snapshot();
    for (OtlpCounters.Transport transport : OtlpCounters.Transport.values()) {
      for (Signal signal : Signal.values()) {
        OtlpCounters.Counts c = received.get(transport, signal);
        String prefix =
            signal.wireName() + "_" + transport.name().toLowerCase(java.util.Locale.ROOT);
        out.put(prefix + "_accepted", c.acceptedItems());
        out.put(prefix + "_rejected", c.rejectedItems());
        out.put(prefix + "_refused", c.refusedItems());
      }
    }
    var sampled = sampler.snapshot();
    for (Signal signal : Signal.values()) {
      for (SamplingOutcome outcome : SamplingOutcome.values()) {
        if (outcome != SamplingOutcome.KEPT) {
          out.put(signal.wireName() + "_" + outcome.wireName(), sampled.count(signal, outcome));
        }
      }
    }
    for (DropCounters.Count drop : buffer.dropCounters().snapshot()) {
      out.put(drop.signal().wireName() + "_dropped_" + drop.reason().wireName(), drop.items());
    }
    BufferStats stats = buffer.stats();
    out.put("buffer_used_bytes", stats.usedBytes());
    out.put("buffer_frames", (long) stats.frames());
    ShipperStats shipped = shipper.stats();
    out.put("frames_sent", shipped.framesSent());
    out.put("frames_resent", shipped.resent());
    out.put("frames_stored", shipped.stored());
    out.put("frames_duplicate", shipped.duplicate());
    out.put("frames_rejected", shipped.rejected());
    out.put("frames_in_flight", (long) shipped.inFlightFrames());
    out.put("throttles", shipped.throttled());
    return out;
  }

  public OtlpCounters receiverCounters() {
    return counters;
  }

  /** The receivers' bound ports, in start order (tests bind port 0). */
  public List<Integer> receiverPorts() {
    List<Integer> ports = new ArrayList<>();
    for (AutoCloseable receiver : receivers) {
      ports.add(
          receiver instanceof OtlpGrpcReceiver g ? g.port() : ((OtlpHttpReceiver) receiver).port());
    }
    return ports;
  }

  private void settingsChanged(ServiceRef service, TelemetrySettings settings) {
    sampling.serviceSettings(service, settings);
    synchronized (scrapes) {
      if (settings.prometheus() == null) {
        scrapes.remove(service);
      } else {
        scrapes.put(service, settings.prometheus());
      }
    }
  }

  /** Scrapes of services whose metrics port is published on the host; the others are logged. */
  private List<ScrapeTarget> scrapeTargets() {
    List<ScrapeTarget> targets = new ArrayList<>();
    synchronized (scrapes) {
      scrapes.forEach((service, scrape) -> {
        OptionalInt port = catalog.publishedPort(service, scrape.port());
        if (port.isEmpty()) {
          log.debug(
              "Not scraping {}: its metrics port {} is not published on the host",
              service,
              scrape.port());
          return;
        }
        URI url = URI.create("http://127.0.0.1:" + port.getAsInt() + scrape.path());
        targets.add(new ScrapeTarget(service, url, scrape.interval(), scrape.timeout()));
      });
    }
    return targets;
  }

  private static Alert alert(DropAlert drop) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("dropped_in_window", Long.toString(drop.droppedInWindow()));
    details.put("window_seconds", Long.toString(drop.window().toSeconds()));
    drop.totals()
        .forEach(c ->
            details.put(
                c.signal().wireName() + "_" + c.reason().wireName(), Long.toString(c.items())));
    return new Alert(
        "telemetry_dropped",
        Alert.Severity.WARNING,
        null,
        drop.droppedInWindow()
            + " telemetry items were dropped or refused in the last "
            + drop.window().toMinutes()
            + " min: the agent's buffer is full (the control plane is unreachable or slower than"
            + " the apps send)",
        details);
  }

  /**
   * Stops receivers and collectors, seals and flushes the buffer, stops the shipper. Idempotent.
   */
  @Override
  public void close() {
    for (AutoCloseable receiver : receivers) {
      closeQuietly(receiver);
    }
    if (collectors != null) {
      closeQuietly(collectors);
    }
    closeQuietly(shipper);
    closeQuietly(buffer);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      log.warn("Closing {} failed: {}", closeable, e.toString());
    }
  }
}
