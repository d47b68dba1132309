package dev.syntra.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.syntra.protocol.frame.TelemetryFrame;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Telemetry from apps to the control plane with every part real: the control plane's executable jar
 * with its embedded PostgreSQL, the agent as its own process with its OTLP receivers and spool, and
 * black-box clients (the OpenTelemetry Java SDK's OTLP/HTTP and OTLP/gRPC exporters, the
 * OpenTelemetry JS SDK's exporters under Node). What the control plane stored is read back from its
 * database and decoded; then the faults: SIGKILL of either side and a minute without a link, and an
 * overload with no link at all.
 */
@ExtendWith(DockerEngine.class)
class TelemetryEndToEndIT {
  private static final Duration ARRIVAL = Duration.ofSeconds(90);

  @TempDir static Path shared;
  private static ControlPlane server;
  private static Rest rest;

  @TempDir Path dir;
  private final List<AgentProcess> agents = new ArrayList<>();
  private int grpcPort;
  private int httpPort;

  @BeforeAll
  static void startControlPlane() throws Exception {
    server = new ControlPlane(shared.resolve("server")).start();
    rest = server.rest();
  }

  @AfterAll
  static void stopControlPlane() throws Exception {
    server.close();
  }

  @AfterEach
  void stopAgents() throws InterruptedException {
    for (AgentProcess agent : agents) {
      agent.close();
    }
  }

  @Test
  void openTelemetryExportersOfJavaAndNodeDeliverIntactDataToTheControlPlane() throws Exception {
    ServerRegistration r = register("sdks");
    startAgent(r, r.token(), Map.of());

    Sent http = sendWithJavaSdk("java-http", true);
    Sent grpc = sendWithJavaSdk("java-grpc", false);
    JsonNode node = sendWithNodeSdk();
    // Else the awaits below would hold on empty sets.
    assertThat(nodeSpanIds(node)).as("spans the Node SDK sent").isNotEmpty();
    assertThat(texts(node.get("logs"))).as("logs the Node SDK sent").isNotEmpty();

    List<TelemetryFrame> frames =
        await()
            .atMost(ARRIVAL)
            .ignoreExceptions()
            .until(
                () -> StoredTelemetry.frames(server.dataDir(), r.serverId()),
                f ->
                    spans(f).keySet().containsAll(http.spanIds())
                        && spans(f).keySet().containsAll(grpc.spanIds())
                        && spans(f).keySet().containsAll(nodeSpanIds(node))
                        && logBodies(f).containsAll(List.of("java-http failed", "java-grpc failed"))
                        && logBodies(f).containsAll(texts(node.get("logs")))
                        && histogram(f, "checkout.duration").isPresent());

    for (Sent sent : List.of(http, grpc)) {
      Span child = spans(frames).get(sent.childId()).span();
      assertThat(child.getName()).isEqualTo("charge card");
      assertThat(child.getParentSpanId()).isEqualTo(ByteString.fromHex(sent.parentId()));
      assertThat(child.getStatus().getCode())
          .isEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);
      assertThat(child.getStatus().getMessage()).isEqualTo("declined");
      assertThat(attributes(child.getAttributesList()))
          .containsEntry("payment.amount", "12.5")
          .containsEntry("payment.retry", "false");
      assertThat(child.getEventsList()).extracting(Span.Event::getName).contains("card declined");
      assertThat(child.getLinksList()).hasSize(1);
      assertThat(HexFormat.of().formatHex(child.getLinks(0).getSpanId().toByteArray()))
          .isEqualTo(sent.linkedId());
      Map<String, String> resource = spans(frames).get(sent.childId()).resource();
      assertThat(resource).containsEntry("service.name", sent.service());
      assertThat(resource).containsEntry("syntra.server.id", r.serverId());
    }
    for (JsonNode span : node.get("spans")) {
      Stored stored = spans(frames).get(span.get("span_id").stringValue());
      assertThat(stored.span().getName()).isEqualTo(span.get("name").stringValue());
      assertThat(HexFormat.of().formatHex(stored.span().getTraceId().toByteArray()))
          .isEqualTo(span.get("trace_id").stringValue());
      assertThat(stored.resource()).containsEntry("service.name", "js-checkout");
    }
    Metric histogram = histogram(frames, "checkout.duration").orElseThrow();
    assertThat(histogram.getHistogram().getDataPointsList())
        .anySatisfy(p -> assertThat(p.getExemplarsList()).isNotEmpty());
    System.out.printf(
        "OpenTelemetry SDKs: Java HTTP %d spans, Java gRPC %d spans, Node %d spans arrived intact"
            + " in %d stored frames%n",
        http.spanIds().size(), grpc.spanIds().size(), node.get("spans").size(), frames.size());
  }

  @Test
  void noSpanOrLogIsLostOrDuplicatedWhenEitherSideIsKilledOrTheLinkIsDownForAMinute()
      throws Exception {
    ServerRegistration r = register("zeroloss");
    AgentProcess agent = startAgent(r, r.token(), Map.of());
    OtlpDriver driver =
        OtlpDriver.start("http://127.0.0.1:" + httpPort, 5, 0, true, 2, Duration.ofMillis(25));
    try {
      Thread.sleep(3000);
      server.kill(); // (a) the control plane, SIGKILL
      Thread.sleep(2000);
      server.start();
      Thread.sleep(3000);
      agent.kill(); // (b) the agent, SIGKILL; the spool holds what it had
      agent = startAgent(r, null, Map.of());
      Thread.sleep(3000);
      server.close(); // (c) no link for 60 s
      Thread.sleep(60_000);
      server.start();
      Thread.sleep(3000);
    } finally {
      driver.close();
    }
    long spansSent = driver.acceptedSpans.size();
    assertThat(driver.acceptedSpans).as("spans the agent accepted").isNotEmpty();
    assertThat(driver.acceptedLogs).as("log records the agent accepted").isNotEmpty();
    Map<Long, Integer> spans =
        await()
            .atMost(ARRIVAL)
            .ignoreExceptions()
            .until(
                () -> seqCounts(StoredTelemetry.frames(server.dataDir(), r.serverId()), true),
                stored -> stored.keySet().containsAll(driver.acceptedSpans));
    Map<Long, Integer> logs =
        await()
            .atMost(ARRIVAL)
            .ignoreExceptions()
            .until(
                () -> seqCounts(StoredTelemetry.frames(server.dataDir(), r.serverId()), false),
                stored -> stored.keySet().containsAll(driver.acceptedLogs));
    assertThat(spans.keySet()).isEqualTo(driver.acceptedSpans);
    assertThat(logs.keySet()).isEqualTo(driver.acceptedLogs);
    assertThat(duplicatesOutside(spans, driver)).as("duplicated spans").isEmpty();
    assertThat(duplicatesOutside(logs, driver)).as("duplicated logs").isEmpty();
    System.out.printf(
        "zero loss: %d spans and %d log records sent across a control-plane SIGKILL, an agent"
            + " SIGKILL and 60 s without a link; all stored, %d requests had an unknown outcome"
            + " (duplicates of those allowed: %d)%n",
        spansSent,
        driver.acceptedLogs.size(),
        driver.ambiguous.size(),
        spans.values().stream().filter(c -> c > 1).count());
    assertThat(agent.alive()).isTrue();
  }

  @Test
  void anOverloadedAgentRefusesWithRetryAfterStaysBoundedKeepsErrorsAndCountsWhatItDrops()
      throws Exception {
    ServerRegistration r = register("overload");
    AgentProcess agent = startAgent(r, r.token(), Map.of("SYNTRA_TELEMETRY_BUFFER_MB", "8"));
    server.close(); // the link drains nothing: everything above the buffer is refused or dropped
    long maxRss = 0;
    OtlpDriver driver;
    try {
      driver =
          // About 10,000 spans/s: below the sampler's per-service ceiling (20,000/s), so what
          // goes missing is the buffer's doing alone.
          OtlpDriver.start(
              "http://127.0.0.1:" + httpPort, 200, 0.01, false, 1, Duration.ofMillis(20));
      long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < end) {
        maxRss = Math.max(maxRss, rssKiB(agent));
        Thread.sleep(250);
      }
      driver.close();
      maxRss = Math.max(maxRss, rssKiB(agent));
    } finally {
      server.start();
    }
    Path status = dir.resolve("agent-state").resolve("status.json");
    assertThat(driver.refusedRequests()).as("429s answered").isPositive();
    assertThat(driver.refusalsWithoutRetryAfter()).isZero();
    assertThat(driver.acceptedSpans).as("spans accepted before the buffer filled").isNotEmpty();
    assertThat(driver.acceptedErrorSpanIds).as("error spans accepted").isNotEmpty();
    List<TelemetryFrame> frames =
        await()
            .atMost(ARRIVAL)
            .ignoreExceptions()
            .until(
                () -> StoredTelemetry.frames(server.dataDir(), r.serverId()),
                f -> {
                  Map<String, Long> counters = counters(status);
                  return counters.getOrDefault("frames_in_flight", 1L) == 0
                      && counters.getOrDefault("buffer_frames", 1L) == 0
                      && seqCounts(f, true).size() + spansDropped(counters)
                          >= driver.acceptedSpans.size();
                });
    Map<Long, Integer> stored = seqCounts(frames, true);
    Map<String, Long> counters = counters(status);
    long missing = driver.acceptedSpans.stream().filter(s -> !stored.containsKey(s)).count();
    assertThat(counters.get("traces_http_refused"))
        .as("spans refused, as the agent counts them")
        .isEqualTo(driver.refusedItems());
    assertThat(missing)
        .as("spans accepted but not stored; counters " + counters)
        .isEqualTo(spansDropped(counters));
    java.util.Set<ByteString> storedIds =
        frames.stream()
            .flatMap(f -> f.traces().getResourceSpansList().stream())
            .flatMap(rs -> rs.getScopeSpansList().stream())
            .flatMap(ss -> ss.getSpansList().stream())
            .map(Span::getSpanId)
            .collect(Collectors.toSet());
    assertThat(storedIds).containsAll(driver.acceptedErrorSpanIds);
    System.out.printf(
        "overload with no link: %d spans accepted, %d refused in %d answers (429 + Retry-After),"
            + " %d dropped by the agent and counted (%s), all %d error spans kept, agent RSS at"
            + " most %d MiB%n",
        driver.acceptedSpans.size(),
        driver.refusedItems(),
        driver.refusedRequests(),
        missing,
        counters.entrySet().stream()
            .filter(e -> e.getKey().startsWith("traces_") && e.getValue() > 0)
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(", ")),
        driver.acceptedErrorSpanIds.size(),
        maxRss / 1024);
    // A guard against unbounded growth, not a footprint target: the agent README measured about
    // 180 MiB under 34,000 spans/s with the default 50 MiB buffer and heap.
    assertThat(maxRss / 1024)
        .as("agent RSS (MiB) with a 8 MiB buffer and -Xmx128m")
        .isLessThan(400);
    assertThat(agent.alive()).isTrue();
  }

  // ---------------------------------------------------------------------------------------------

  private record Stored(Span span, Map<String, String> resource) {}

  private record Sent(
      String service, List<String> spanIds, String parentId, String childId, String linkedId) {}

  private ServerRegistration register(String name) {
    return ServerRegistration.create(
        rest, "e2e-" + name + "-" + UUID.randomUUID().toString().substring(0, 6));
  }

  private AgentProcess startAgent(ServerRegistration r, String token, Map<String, String> extra)
      throws IOException {
    if (grpcPort == 0) {
      grpcPort = ControlPlane.freePort();
      httpPort = ControlPlane.freePort();
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SYNTRA_OTLP_GRPC_PORT", String.valueOf(grpcPort));
    env.put("SYNTRA_OTLP_HTTP_PORT", String.valueOf(httpPort));
    env.put("SYNTRA_TRACE_RATIO", "1");
    env.putAll(extra);
    AgentProcess agent =
        AgentProcess.run(dir.resolve("agent-state"), r.agentArgs(server, token), env);
    agents.add(agent);
    r.awaitOnline(rest, agent);
    return agent;
  }

  /** One trace (a server span, an error child with an event and a link), logs and a histogram. */
  private Sent sendWithJavaSdk(String service, boolean http) {
    Resource resource =
        Resource.getDefault()
            .merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service)));
    SpanExporter exporter =
        http
            ? OtlpHttpSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + httpPort + "/v1/traces")
                .build()
            : OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + grpcPort).build();
    SdkTracerProvider tracing =
        SdkTracerProvider.builder()
            .setResource(resource)
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .build();
    SdkLoggerProvider logging =
        SdkLoggerProvider.builder()
            .setResource(resource)
            .addLogRecordProcessor(
                SimpleLogRecordProcessor.create(
                    http
                        ? OtlpHttpLogRecordExporter.builder()
                            .setEndpoint("http://127.0.0.1:" + httpPort + "/v1/logs")
                            .build()
                        : io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter.builder()
                            .setEndpoint("http://127.0.0.1:" + grpcPort)
                            .build()))
            .build();
    SdkMeterProvider metering =
        SdkMeterProvider.builder()
            .setResource(resource)
            .registerMetricReader(
                PeriodicMetricReader.builder(
                        http
                            ? OtlpHttpMetricExporter.builder()
                                .setEndpoint("http://127.0.0.1:" + httpPort + "/v1/metrics")
                                .build()
                            : io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter
                                .builder()
                                .setEndpoint("http://127.0.0.1:" + grpcPort)
                                .build())
                    .setInterval(Duration.ofMinutes(10))
                    .build())
            .build();
    try {
      Tracer tracer = tracing.get("syntra-e2e");
      io.opentelemetry.api.trace.Span warmup = tracer.spanBuilder("warmup").startSpan();
      warmup.end();
      io.opentelemetry.api.trace.Span parent =
          tracer.spanBuilder("POST /checkout").setSpanKind(SpanKind.SERVER).startSpan();
      io.opentelemetry.api.trace.Span child;
      try (Scope ignored = parent.makeCurrent()) {
        child =
            tracer
                .spanBuilder("charge card")
                .addLink(
                    warmup.getSpanContext(),
                    Attributes.of(AttributeKey.stringKey("link.reason"), "warmup"))
                .setAttribute("payment.amount", 12.5)
                .setAttribute("payment.retry", false)
                .startSpan();
        child.addEvent(
            "card declined",
            Attributes.of(AttributeKey.stringKey("decline.code"), "insufficient_funds"));
        child.setStatus(StatusCode.ERROR, "declined");
        try (Scope inChild = child.makeCurrent()) {
          logging
              .get("syntra-e2e")
              .logRecordBuilder()
              .setSeverity(Severity.ERROR)
              .setBody(service + " failed")
              .emit();
          metering
              .get("syntra-e2e")
              .histogramBuilder("checkout.duration")
              .ofLongs()
              .build()
              .record(42);
        }
        child.end();
      }
      parent.end();
      return new Sent(
          service,
          List.of(
              warmup.getSpanContext().getSpanId(),
              parent.getSpanContext().getSpanId(),
              child.getSpanContext().getSpanId()),
          parent.getSpanContext().getSpanId(),
          child.getSpanContext().getSpanId(),
          warmup.getSpanContext().getSpanId());
    } finally {
      tracing.forceFlush().join(30, TimeUnit.SECONDS);
      logging.forceFlush().join(30, TimeUnit.SECONDS);
      metering.forceFlush().join(30, TimeUnit.SECONDS);
      tracing.shutdown().join(30, TimeUnit.SECONDS);
      logging.shutdown().join(30, TimeUnit.SECONDS);
      metering.shutdown().join(30, TimeUnit.SECONDS);
    }
  }

  /** The OpenTelemetry JS SDK (npm, exact versions from the committed lock file) under Node. */
  private JsonNode sendWithNodeSdk() throws Exception {
    Path fixture = Path.of("src", "test", "js", "otlp-client").toAbsolutePath();
    Path work = Files.createDirectories(Path.of("target", "otlp-client")).toAbsolutePath();
    for (String file : List.of("package.json", "package-lock.json", "send.js")) {
      Files.copy(
          fixture.resolve(file),
          work.resolve(file),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Path cache = Path.of(System.getProperty("user.home"), ".cache", "syntra", "npm");
    run(
        work,
        List.of(
            "npm",
            "ci",
            "--no-audit",
            "--no-fund",
            "--prefer-offline",
            "--cache",
            cache.toString()));
    String out =
        run(
            work,
            List.of("node", "send.js", "http://127.0.0.1:" + httpPort, "run-" + UUID.randomUUID()));
    String last =
        out.lines()
            .filter(l -> l.startsWith("{"))
            .reduce((a, b) -> b)
            .orElseThrow(() -> new AssertionError("node printed nothing: " + out));
    return JsonMapper.builder().build().readTree(last);
  }

  private static String run(Path dir, List<String> command) throws Exception {
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out =
        new String(
            process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
    return out;
  }

  private static List<String> nodeSpanIds(JsonNode node) {
    List<String> ids = new ArrayList<>();
    node.get("spans").forEach(s -> ids.add(s.get("span_id").stringValue()));
    return ids;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(t -> texts.add(t.stringValue()));
    return texts;
  }

  /** Stored spans by span id (hex), with their resource's attributes. */
  private static Map<String, Stored> spans(List<TelemetryFrame> frames) {
    Map<String, Stored> spans = new LinkedHashMap<>();
    for (TelemetryFrame frame : frames) {
      for (ResourceSpans rs : frame.traces().getResourceSpansList()) {
        Map<String, String> resource = attributes(rs.getResource().getAttributesList());
        rs.getScopeSpansList()
            .forEach(ss ->
                ss.getSpansList()
                    .forEach(s ->
                        spans.put(
                            HexFormat.of().formatHex(s.getSpanId().toByteArray()),
                            new Stored(s, resource))));
      }
    }
    return spans;
  }

  private static List<String> logBodies(List<TelemetryFrame> frames) {
    return frames.stream()
        .flatMap(f -> f.logs().getResourceLogsList().stream())
        .flatMap(rl -> rl.getScopeLogsList().stream())
        .flatMap(sl -> sl.getLogRecordsList().stream())
        .map(LogRecord::getBody)
        .map(b -> b.getStringValue())
        .toList();
  }

  private static java.util.Optional<Metric> histogram(List<TelemetryFrame> frames, String name) {
    return frames.stream()
        .flatMap(f -> f.metrics().getResourceMetricsList().stream())
        .flatMap(rm -> rm.getScopeMetricsList().stream())
        .flatMap(sm -> sm.getMetricsList().stream())
        .filter(m -> m.getName().equals(name) && m.hasHistogram())
        .filter(m ->
            m.getHistogram().getDataPointsList().stream().anyMatch(p -> p.getExemplarsCount() > 0))
        .findFirst();
  }

  private static Map<String, String> attributes(List<KeyValue> attributes) {
    Map<String, String> map = new LinkedHashMap<>();
    for (KeyValue kv : attributes) {
      var v = kv.getValue();
      String text =
          switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> String.valueOf(v.getBoolValue());
            case INT_VALUE -> String.valueOf(v.getIntValue());
            case DOUBLE_VALUE -> String.valueOf(v.getDoubleValue());
            default -> v.toString();
          };
      map.put(kv.getKey(), text);
    }
    return map;
  }

  /** How often each driver sequence number is stored, for spans or for log records. */
  private static Map<Long, Integer> seqCounts(List<TelemetryFrame> frames, boolean spans) {
    Map<Long, Integer> counts = new java.util.HashMap<>();
    for (TelemetryFrame frame : frames) {
      List<List<KeyValue>> items =
          spans
              ? frame.traces().getResourceSpansList().stream()
                  .flatMap(rs -> rs.getScopeSpansList().stream())
                  .flatMap(ss -> ss.getSpansList().stream())
                  .map(Span::getAttributesList)
                  .toList()
              : frame.logs().getResourceLogsList().stream()
                  .flatMap(rl -> rl.getScopeLogsList().stream())
                  .flatMap(sl -> sl.getLogRecordsList().stream())
                  .map(LogRecord::getAttributesList)
                  .toList();
      for (List<KeyValue> attributes : items) {
        attributes.stream()
            .filter(kv -> kv.getKey().equals(OtlpDriver.SEQ))
            .findFirst()
            .ifPresent(kv -> counts.merge(kv.getValue().getIntValue(), 1, Integer::sum));
      }
    }
    return counts;
  }

  /** Sequence numbers stored more than once that the driver did not send twice itself. */
  private static List<Long> duplicatesOutside(Map<Long, Integer> counts, OtlpDriver driver) {
    return counts.entrySet().stream()
        .filter(e -> e.getValue() > 1)
        .map(Map.Entry::getKey)
        .filter(
            seq -> driver.ambiguous.stream().noneMatch(first -> seq >= first && seq < first + 5))
        .toList();
  }

  /** The agent's telemetry counters from its {@code status.json}. */
  private static Map<String, Long> counters(Path statusFile) {
    JsonNode telemetry;
    try {
      telemetry =
          JsonMapper.builder().build().readTree(Files.readString(statusFile)).path("telemetry");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Map<String, Long> counters = new LinkedHashMap<>();
    telemetry.properties().forEach(p -> counters.put(p.getKey(), p.getValue().asLong()));
    return counters;
  }

  /**
   * Spans the agent let go after accepting them: buffer drops (not refusals: a refused request was
   * answered 429 and never accepted) and the sampler's per-service ceiling (spans above it are
   * rate-limited, and the ceiling lowers the service's ratio, so whole traces are sampled out; with
   * {@code trace_ratio=1} nothing else is sampled out).
   */
  private static long spansDropped(Map<String, Long> counters) {
    return counters.entrySet().stream()
        .filter(e ->
            (e.getKey().startsWith("traces_dropped_") && !e.getKey().endsWith("_refused"))
                || List.of("traces_rate_limited", "traces_evicted", "traces_sampled_out")
                    .contains(e.getKey()))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  private static long rssKiB(AgentProcess agent) throws IOException {
    for (String line :
        Files.readAllLines(Path.of("/proc", String.valueOf(agent.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/" + agent.pid() + "/status");
  }
}
